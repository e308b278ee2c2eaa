#include "formats/safetensors.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <span>
#include <tuple>
#include <utility>

#include "json/strict_json.h"

namespace assay {
namespace {

using nlohmann::json;

// Every dtype of the reference implementation's Dtype enum
// (huggingface/safetensors, safetensors/src/tensor.rs, Dtype::bitsize).
constexpr std::array<SafetensorsDtype, 20> kDtypes = {{
    {"BOOL", 8}, {"F4", 4},      {"F6_E2M3", 6}, {"F6_E3M2", 6}, {"U8", 8},
    {"I8", 8},   {"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"I16", 16},
    {"U16", 16}, {"F16", 16},    {"BF16", 16},   {"I32", 32},    {"U32", 32},
    {"F32", 32}, {"C64", 64},    {"F64", 64},    {"I64", 64},    {"U64", 64},
}};

constexpr std::string_view kMetadataKey = "__metadata__";
constexpr uint64_t kPrefixBytes = 8;  // the little-endian header length N

std::string FormatShape(const std::vector<uint64_t>& shape) {
  constexpr size_t kMaxShown = 16;
  std::string out = "[";
  for (size_t i = 0; i < shape.size() && i < kMaxShown; ++i) {
    if (i > 0) out += ",";
    out += std::to_string(shape[i]);
  }
  if (shape.size() > kMaxShown) out += ",...";
  out += "]";
  return out;
}

Status TensorError(std::string_view name, const std::string& problem) {
  return Status::InvalidInput("tensor " + QuoteUntrusted(name) + " " + problem);
}

// A JSON array of non-negative integers, each within 64 bits.
Result<std::vector<uint64_t>> UnsignedArray(const json& value, std::string_view tensor,
                                            std::string_view field) {
  if (!value.is_array()) {
    return TensorError(tensor, "has a " + std::string(field) + " that is not an array");
  }
  std::vector<uint64_t> numbers;
  numbers.reserve(value.size());
  for (const json& element : value) {
    // nlohmann stores negative integers as number_integer and integers
    // beyond 64 bits or with a fraction or exponent as number_float.
    if (!element.is_number_unsigned()) {
      return TensorError(tensor, "has a " + std::string(field) + " element " +
                                     QuoteUntrusted(element.dump()) +
                                     " that is not a non-negative 64-bit integer");
    }
    numbers.push_back(element.get<uint64_t>());
  }
  return numbers;
}

// The bytes a tensor of `dtype` and `shape` occupies (reference: Metadata::validate).
Result<uint64_t> TensorByteSize(std::string_view name, const SafetensorsDtype& dtype,
                                const std::vector<uint64_t>& shape) {
  uint64_t elements = 1;
  for (uint64_t dimension : shape) {
    if (__builtin_mul_overflow(elements, dimension, &elements)) {
      return TensorError(
          name, "has shape " + FormatShape(shape) + " whose element count overflows 64 bits");
    }
  }
  uint64_t bits = 0;
  if (__builtin_mul_overflow(elements, uint64_t{dtype.bits}, &bits)) {
    return TensorError(name,
                       "has shape " + FormatShape(shape) + " whose size in bits overflows 64 bits");
  }
  if (bits % 8 != 0) {
    return TensorError(name, "is " + std::string(dtype.name) + " with " + std::to_string(elements) +
                                 " elements, which do not fill whole bytes");
  }
  return bits / 8;
}

Result<TensorEntry> ParseTensor(const std::string& name, const json& info, uint64_t data_start,
                                uint64_t data_size) {
  if (!info.is_object()) return TensorError(name, "is not a JSON object");
  for (const auto& [field, unused] : info.items()) {
    if (field != "dtype" && field != "shape" && field != "data_offsets") {
      return TensorError(name, "has unknown field " + QuoteUntrusted(field));
    }
  }
  for (const char* field : {"dtype", "shape", "data_offsets"}) {
    if (!info.contains(field)) return TensorError(name, "has no " + QuoteUntrusted(field));
  }

  if (!info["dtype"].is_string()) return TensorError(name, "has a dtype that is not a string");
  const std::string& dtype_name = info["dtype"].get_ref<const std::string&>();
  std::optional<SafetensorsDtype> dtype = FindSafetensorsDtype(dtype_name);
  if (!dtype) return TensorError(name, "has unknown dtype " + QuoteUntrusted(dtype_name));

  ASSAY_ASSIGN_OR_RETURN(std::vector<uint64_t> shape, UnsignedArray(info["shape"], name, "shape"));
  ASSAY_ASSIGN_OR_RETURN(std::vector<uint64_t> offsets,
                         UnsignedArray(info["data_offsets"], name, "data_offsets"));
  if (offsets.size() != 2) return TensorError(name, "has data_offsets that are not [begin, end]");
  const uint64_t begin = offsets[0];
  const uint64_t end = offsets[1];
  const std::string range = "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
  if (end < begin) {
    return TensorError(name, "has data_offsets " + range + " that end before they begin");
  }
  if (end > data_size) {
    return TensorError(name, "has data_offsets " + range + " out of range: the data area holds " +
                                 std::to_string(data_size) + " bytes");
  }

  ASSAY_ASSIGN_OR_RETURN(uint64_t expected, TensorByteSize(name, *dtype, shape));
  if (end - begin != expected) {
    return TensorError(name, "is " + std::string(dtype->name) + " " + FormatShape(shape) +
                                 ", which needs " + std::to_string(expected) +
                                 " bytes, but data_offsets " + range + " hold " +
                                 std::to_string(end - begin));
  }
  return TensorEntry{name, std::string(dtype->name), std::move(shape), data_start + begin,
                     end - begin};
}

// "__metadata__" is a flat map of strings (the reference: Option<HashMap<String,
// String>>, so null means none; MLX's save_safetensors writes null when it has none).
Result<std::map<std::string, std::string>> ParseMetadata(const json& value) {
  if (value.is_null()) return std::map<std::string, std::string>();
  if (!value.is_object()) return Status::InvalidInput("__metadata__ is not a JSON object");
  std::map<std::string, std::string> metadata;
  for (const auto& [key, entry] : value.items()) {
    if (!entry.is_string()) {
      return Status::InvalidInput("__metadata__ value for " + QuoteUntrusted(key) +
                                  " is not a string");
    }
    metadata.emplace(key, entry.get<std::string>());
  }
  return metadata;
}

// The tensors, sorted by offset, must tile [data_start, file_size) exactly.
// The reference rejects gaps and trailing bytes (MetadataIncompleteBuffer);
// an overlap would let two tensors' digests cover the same bytes.
Status CheckTensorsTileDataArea(const std::vector<TensorEntry>& sorted, uint64_t data_start,
                                uint64_t file_size) {
  uint64_t covered_to = data_start;
  const TensorEntry* previous = nullptr;
  for (const TensorEntry& tensor : sorted) {
    if (tensor.offset < covered_to) {
      return Status::InvalidInput("tensors " + QuoteUntrusted(previous->name) + " and " +
                                  QuoteUntrusted(tensor.name) + " overlap");
    }
    if (tensor.offset > covered_to) {
      return Status::InvalidInput("gap before tensor " + QuoteUntrusted(tensor.name) +
                                  ": data bytes [" + std::to_string(covered_to - data_start) +
                                  ", " + std::to_string(tensor.offset - data_start) +
                                  ") belong to no tensor");
    }
    covered_to = tensor.offset + tensor.size;
    previous = &tensor;
  }
  if (covered_to != file_size) {
    return Status::InvalidInput("trailing bytes after the last tensor: data bytes [" +
                                std::to_string(covered_to - data_start) + ", " +
                                std::to_string(file_size - data_start) + ") belong to no tensor");
  }
  return Status::Ok();
}

Result<SafetensorsHeader> ParseHeader(std::string_view text, uint64_t file_size) {
  // The reference leaves this check commented out; every writer emits '{' first.
  if (text.empty() || text.front() != '{') {
    return Status::InvalidInput("header is not a JSON object (it must begin with '{')");
  }
  Result<json> root = ParseStrictJson(text);
  if (!root.ok()) return root.status().WithContext("header");
  // JSON allows any white space after the object; writers pad with spaces only.
  if (text[text.find_last_not_of(' ')] != '}') {
    return Status::InvalidInput("header padding after the JSON object is not all spaces");
  }

  SafetensorsHeader header;
  header.header_length = text.size();
  header.data_start = kPrefixBytes + text.size();
  const uint64_t data_size = file_size - header.data_start;
  for (const auto& [key, value] : root->items()) {
    if (key == kMetadataKey) {
      ASSAY_ASSIGN_OR_RETURN(header.metadata, ParseMetadata(value));
      continue;
    }
    ASSAY_ASSIGN_OR_RETURN(TensorEntry tensor,
                           ParseTensor(key, value, header.data_start, data_size));
    header.tensors.push_back(std::move(tensor));
  }
  std::sort(header.tensors.begin(), header.tensors.end(),
            [](const TensorEntry& a, const TensorEntry& b) {
              return std::tie(a.offset, a.size, a.name) < std::tie(b.offset, b.size, b.name);
            });
  ASSAY_RETURN_IF_ERROR(CheckTensorsTileDataArea(header.tensors, header.data_start, file_size));
  return header;
}

}  // namespace

std::optional<SafetensorsDtype> FindSafetensorsDtype(std::string_view name) {
  for (const SafetensorsDtype& dtype : kDtypes) {
    if (dtype.name == name) return dtype;
  }
  return std::nullopt;
}

Result<SafetensorsHeader> ReadSafetensorsHeader(const RandomAccessFile& file) {
  auto invalid = [&file](const std::string& problem) {
    return Status::InvalidInput(file.path() + ": " + problem);
  };
  const uint64_t file_size = file.size();
  if (file_size < kPrefixBytes) {
    return invalid("file size " + std::to_string(file_size) +
                   " is smaller than the 8-byte header length prefix");
  }
  std::array<uint8_t, kPrefixBytes> prefix;
  ASSAY_RETURN_IF_ERROR(file.ReadExactly(0, prefix));
  uint64_t header_length = 0;
  for (size_t i = 0; i < prefix.size(); ++i) header_length |= uint64_t{prefix[i]} << (8 * i);
  if (header_length > kSafetensorsMaxHeaderLength) {
    return invalid("header length " + std::to_string(header_length) + " exceeds the limit of " +
                   std::to_string(kSafetensorsMaxHeaderLength) + " bytes");
  }
  if (header_length > file_size - kPrefixBytes) {
    return invalid("header length " + std::to_string(header_length) + " exceeds file size " +
                   std::to_string(file_size) + " (the header starts at byte 8)");
  }

  std::string text(header_length, '\0');
  ASSAY_RETURN_IF_ERROR(
      file.ReadExactly(kPrefixBytes, {reinterpret_cast<uint8_t*>(text.data()), text.size()}));
  Result<SafetensorsHeader> header = ParseHeader(text, file_size);
  if (!header.ok()) return header.status().WithContext(file.path());
  return header;
}

}  // namespace assay
