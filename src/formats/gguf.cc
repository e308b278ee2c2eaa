// GGUF layout (ggml docs/gguf.md, "File Structure"), all little-endian:
//   "GGUF" | u32 version | u64 tensor_count | u64 kv_count
//   kv_count x (string key | u32 value_type | value)
//   tensor_count x (string name | u32 n_dims | n_dims x u64 dim | u32 ggml_type | u64 offset)
//   padding to general.alignment | tensor data
// where a string is a u64 byte length and the bytes, and an array value is
// u32 element_type | u64 count | the elements.
#include "formats/gguf.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <span>
#include <unordered_set>

#include "formats/ggml_types.h"
#include "utf8.h"

namespace assay {
namespace {

constexpr char kMagic[4] = {'G', 'G', 'U', 'F'};
constexpr uint64_t kDefaultAlignment = 32;  // docs/gguf.md, general.alignment
constexpr uint32_t kMaxDimensions = 4;      // ggml's GGML_MAX_DIMS
constexpr size_t kBufferBytes = 64 * 1024;

// The fewest bytes one item can take, to reject counts the file cannot hold
// before allocating for them.
constexpr uint64_t kMinStringBytes = 8;           // the length alone
constexpr uint64_t kMinArrayBytes = 4 + 8;        // element type and count
constexpr uint64_t kMinKeyValueBytes = 8 + 1 + 4 + 1;  // key (non-empty), type, one-byte value
constexpr uint64_t kMinTensorInfoBytes = 8 + 1 + 4 + 4 + 8;  // name (non-empty), n_dims, type, offset

std::string Str(uint64_t n) { return std::to_string(n); }

// A name as an error message shows it: quoted, control bytes as '?', long ones cut.
std::string Quoted(std::string_view name) {
  constexpr size_t kShown = 80;
  std::string shown(name);
  if (name.size() > kShown) {
    size_t cut = kShown;  // back up to a character boundary
    while (cut > 0 && (static_cast<uint8_t>(name[cut]) & 0xC0) == 0x80) --cut;
    shown = std::string(name.substr(0, cut)) + "...";
  }
  for (char& c : shown) {
    if (static_cast<uint8_t>(c) < 0x20 || c == 0x7F) c = '?';
  }
  return "'" + shown + "'";
}

// Reads the file front to back through a small buffer, refusing to pass the
// end of the file or kGgufMaxHeaderBytes.
class Cursor {
 public:
  explicit Cursor(const RandomAccessFile& file) : file_(file) {}

  uint64_t position() const { return position_; }
  uint64_t remaining() const { return file_.size() - position_; }

  Status Read(std::span<uint8_t> out) {
    if (out.size() > remaining()) {
      return Status::InvalidInput("truncated: " + Str(out.size()) + " bytes needed at offset " +
                                  Str(position_) + ", file has " + Str(file_.size()));
    }
    if (position_ + out.size() > kGgufMaxHeaderBytes) {
      return Status::InvalidInput("header passes the " + Str(kGgufMaxHeaderBytes) + "-byte limit");
    }
    size_t done = 0;
    while (done < out.size()) {
      const uint64_t buffer_end = buffer_start_ + buffer_.size();
      if (position_ >= buffer_start_ && position_ < buffer_end) {
        const size_t n = std::min<uint64_t>(out.size() - done, buffer_end - position_);
        std::memcpy(out.data() + done, buffer_.data() + (position_ - buffer_start_), n);
        done += n;
        position_ += n;
      } else if (out.size() - done >= kBufferBytes) {
        ASSAY_RETURN_IF_ERROR(file_.ReadExactly(position_, out.subspan(done)));
        position_ += out.size() - done;
        done = out.size();
      } else {
        buffer_.resize(std::min<uint64_t>(kBufferBytes, remaining()));
        buffer_start_ = position_;
        ASSAY_RETURN_IF_ERROR(file_.ReadExactly(buffer_start_, buffer_));
      }
    }
    return Status::Ok();
  }

  // A little-endian integer of type T.
  template <typename T>
  Result<T> ReadInteger() {
    uint8_t bytes[sizeof(T)];
    ASSAY_RETURN_IF_ERROR(Read(bytes));
    std::make_unsigned_t<T> value = 0;
    for (size_t i = sizeof(T); i-- > 0;) value = static_cast<decltype(value)>((value << 8) | bytes[i]);
    return static_cast<T>(value);
  }

  // Fails unless `count` items of at least `min_bytes` each could still follow.
  Status CheckRoom(uint64_t count, uint64_t min_bytes, std::string_view what) const {
    if (count > remaining() / min_bytes) {
      return Status::InvalidInput(std::string(what) + " " + Str(count) + " cannot fit in the " +
                                  Str(remaining()) + " bytes left in the file");
    }
    const uint64_t header_room = kGgufMaxHeaderBytes - std::min(position_, kGgufMaxHeaderBytes);
    if (count > header_room / min_bytes) {
      return Status::InvalidInput(std::string(what) + " " + Str(count) + " passes the " +
                                  Str(kGgufMaxHeaderBytes) + "-byte header limit");
    }
    return Status::Ok();
  }

 private:
  const RandomAccessFile& file_;
  uint64_t position_ = 0;
  std::vector<uint8_t> buffer_;  // the file's bytes at [buffer_start_, buffer_start_ + size)
  uint64_t buffer_start_ = 0;
};

// A tensor as its info record describes it, offset still relative to the data section.
struct TensorInfo {
  TensorEntry entry;
  uint64_t relative_offset = 0;
};

class GgufParser {
 public:
  explicit GgufParser(const RandomAccessFile& file) : file_(file), cursor_(file) {}

  Result<GgufFile> Parse() {
    GgufFile gguf;
    ASSAY_RETURN_IF_ERROR(ReadMagic());
    ASSAY_ASSIGN_OR_RETURN(gguf.version, ReadVersion());
    ASSAY_ASSIGN_OR_RETURN(uint64_t tensor_count, cursor_.ReadInteger<uint64_t>());
    ASSAY_RETURN_IF_ERROR(cursor_.CheckRoom(tensor_count, kMinTensorInfoBytes, "tensor count"));
    ASSAY_ASSIGN_OR_RETURN(uint64_t kv_count, cursor_.ReadInteger<uint64_t>());
    ASSAY_RETURN_IF_ERROR(cursor_.CheckRoom(kv_count, kMinKeyValueBytes, "metadata key count"));
    ASSAY_ASSIGN_OR_RETURN(gguf.metadata, ReadMetadata(kv_count));
    ASSAY_ASSIGN_OR_RETURN(gguf.alignment, Alignment(gguf));
    ASSAY_ASSIGN_OR_RETURN(std::vector<TensorInfo> infos, ReadTensorInfos(tensor_count, gguf.alignment));
    ASSAY_ASSIGN_OR_RETURN(gguf.data_start, DataStart(tensor_count, gguf.alignment));
    ASSAY_ASSIGN_OR_RETURN(gguf.tensors, PlaceTensors(std::move(infos), gguf.data_start));
    return gguf;
  }

 private:
  Status ReadMagic() {
    uint8_t magic[4];
    ASSAY_RETURN_IF_ERROR(cursor_.Read(magic));
    if (std::memcmp(magic, kMagic, sizeof(kMagic)) == 0) return Status::Ok();
    std::string shown;
    for (uint8_t byte : magic) shown += (byte >= 0x20 && byte < 0x7F) ? static_cast<char>(byte) : '?';
    return Status::InvalidInput("not a gguf file: magic is '" + shown + "', expected 'GGUF'");
  }

  // v2 and v3 share one little-endian layout (v3 only allowed big-endian
  // files); v1 had 32-bit counts and ggml no longer reads it.
  Result<uint32_t> ReadVersion() {
    ASSAY_ASSIGN_OR_RETURN(uint32_t version, cursor_.ReadInteger<uint32_t>());
    if (version == 2 || version == 3) return version;
    if (version == 1) {
      return Status::InvalidInput("gguf version 1 is not supported (ggml dropped it); convert the model again");
    }
    const uint32_t swapped = __builtin_bswap32(version);
    if (swapped >= 1 && swapped <= 3) {
      return Status::InvalidInput("gguf version " + Str(version) +
                                  " looks like a big-endian file, which is not supported");
    }
    return Status::InvalidInput("unsupported gguf version " + Str(version) + " (known: 2, 3)");
  }

  Result<std::vector<std::pair<std::string, GgufValue>>> ReadMetadata(uint64_t count) {
    std::vector<std::pair<std::string, GgufValue>> metadata;
    std::unordered_set<std::string> keys;
    for (uint64_t i = 0; i < count; ++i) {
      ASSAY_ASSIGN_OR_RETURN(std::string key, ReadName("key", "metadata entry " + Str(i)));
      if (!keys.insert(key).second) return Status::InvalidInput("duplicate metadata key " + Quoted(key));
      Result<GgufValue> value = ReadTypedValue(0);
      if (!value.ok()) return value.status().WithContext("metadata key " + Quoted(key));
      metadata.emplace_back(std::move(key), std::move(*value));
    }
    return metadata;
  }

  Result<std::vector<TensorInfo>> ReadTensorInfos(uint64_t count, uint64_t alignment) {
    std::vector<TensorInfo> infos;
    std::unordered_set<std::string> names;
    for (uint64_t i = 0; i < count; ++i) {
      ASSAY_ASSIGN_OR_RETURN(std::string name, ReadName("tensor name", "tensor " + Str(i)));
      if (!names.insert(name).second) return Status::InvalidInput("duplicate tensor name " + Quoted(name));
      const std::string context = "tensor " + Quoted(name);
      Result<TensorInfo> info = ReadTensorInfo(std::move(name), alignment);
      if (!info.ok()) return info.status().WithContext(context);
      infos.push_back(std::move(*info));
    }
    return infos;
  }

  // The end of the tensor table rounded up to the alignment; but a file
  // without tensors has no padding (ggml's gguf.cpp seeks to the aligned
  // offset only when there are tensors, and vocab-only files end unpadded).
  Result<uint64_t> DataStart(uint64_t tensor_count, uint64_t alignment) const {
    const uint64_t table_end = cursor_.position();
    if (tensor_count == 0) return table_end;
    const uint64_t data_start = (table_end + alignment - 1) / alignment * alignment;
    if (data_start > file_.size()) {
      return Status::InvalidInput("tensor data would start at offset " + Str(data_start) +
                                  ", past the end of the file (" + Str(file_.size()) + " bytes)");
    }
    return data_start;
  }

  // A key or tensor name: non-empty UTF-8 of at most kGgufMaxNameBytes.
  Result<std::string> ReadName(std::string_view what, const std::string& context) {
    Result<std::string> name = ReadString(what, kGgufMaxNameBytes);
    if (name.ok() && name->empty()) name = Status::InvalidInput(std::string(what) + " is empty");
    if (name.ok() && !IsValidUtf8(*name)) {
      name = Status::InvalidInput(std::string(what) + " is not valid UTF-8");
    }
    if (!name.ok()) return name.status().WithContext(context);
    return name;
  }

  Result<std::string> ReadString(std::string_view what, uint64_t max_bytes) {
    ASSAY_ASSIGN_OR_RETURN(uint64_t length, cursor_.ReadInteger<uint64_t>());
    if (length > max_bytes) {
      return Status::InvalidInput(std::string(what) + " length " + Str(length) + " exceeds the " +
                                  Str(max_bytes) + "-byte limit");
    }
    ASSAY_RETURN_IF_ERROR(cursor_.CheckRoom(length, 1, std::string(what) + " length"));
    std::string text(length, '\0');
    ASSAY_RETURN_IF_ERROR(cursor_.Read({reinterpret_cast<uint8_t*>(text.data()), text.size()}));
    return text;
  }

  template <typename T>
  Result<T> ReadScalar() {
    if constexpr (std::is_same_v<T, bool>) {
      // docs/gguf.md: "0 is false and 1 is true. Anything else is invalid".
      ASSAY_ASSIGN_OR_RETURN(uint8_t byte, cursor_.ReadInteger<uint8_t>());
      if (byte > 1) return Status::InvalidInput("bool value " + Str(byte) + " is neither 0 nor 1");
      return byte == 1;
    } else if constexpr (std::is_same_v<T, float>) {
      ASSAY_ASSIGN_OR_RETURN(uint32_t bits, cursor_.ReadInteger<uint32_t>());
      return std::bit_cast<float>(bits);
    } else if constexpr (std::is_same_v<T, double>) {
      ASSAY_ASSIGN_OR_RETURN(uint64_t bits, cursor_.ReadInteger<uint64_t>());
      return std::bit_cast<double>(bits);
    } else if constexpr (std::is_same_v<T, std::string>) {
      return ReadString("string", std::numeric_limits<uint64_t>::max());
    } else {
      return cursor_.ReadInteger<T>();
    }
  }

  template <typename T>
  Result<GgufValue> ReadScalarValue() {
    ASSAY_ASSIGN_OR_RETURN(T scalar, ReadScalar<T>());
    return GgufValue{GgufValue::Variant(std::in_place_type<T>, std::move(scalar))};
  }

  // A u32 value type and the value; `depth` counts the arrays around it.
  Result<GgufValue> ReadTypedValue(int depth) {
    ASSAY_ASSIGN_OR_RETURN(uint32_t type, cursor_.ReadInteger<uint32_t>());
    switch (static_cast<GgufValueType>(type)) {
      case GgufValueType::kUint8: return ReadScalarValue<uint8_t>();
      case GgufValueType::kInt8: return ReadScalarValue<int8_t>();
      case GgufValueType::kUint16: return ReadScalarValue<uint16_t>();
      case GgufValueType::kInt16: return ReadScalarValue<int16_t>();
      case GgufValueType::kUint32: return ReadScalarValue<uint32_t>();
      case GgufValueType::kInt32: return ReadScalarValue<int32_t>();
      case GgufValueType::kFloat32: return ReadScalarValue<float>();
      case GgufValueType::kBool: return ReadScalarValue<bool>();
      case GgufValueType::kString: return ReadScalarValue<std::string>();
      case GgufValueType::kUint64: return ReadScalarValue<uint64_t>();
      case GgufValueType::kInt64: return ReadScalarValue<int64_t>();
      case GgufValueType::kFloat64: return ReadScalarValue<double>();
      case GgufValueType::kArray: {
        ASSAY_ASSIGN_OR_RETURN(GgufArray array, ReadArray(depth + 1));
        return GgufValue{GgufValue::Variant(std::in_place_type<GgufArray>, std::move(array))};
      }
    }
    return Status::InvalidInput("unknown value type " + Str(type));
  }

  template <typename T>
  Result<GgufArray> ReadElements(uint64_t count, uint64_t min_bytes, int depth) {
    ASSAY_RETURN_IF_ERROR(cursor_.CheckRoom(count, min_bytes, "array length"));
    std::vector<T> elements;
    elements.reserve(count);  // bounded: the bytes to fill it are known to be there
    for (uint64_t i = 0; i < count; ++i) {
      if constexpr (std::is_same_v<T, GgufArray>) {
        ASSAY_ASSIGN_OR_RETURN(GgufArray element, ReadArray(depth + 1));
        elements.push_back(std::move(element));
      } else {
        ASSAY_ASSIGN_OR_RETURN(T element, ReadScalar<T>());
        elements.push_back(std::move(element));
      }
    }
    return GgufArray{GgufArray::Elements(std::in_place_type<std::vector<T>>, std::move(elements))};
  }

  // u32 element type, u64 count, elements; `depth` is 1 for an outermost array.
  Result<GgufArray> ReadArray(int depth) {
    if (depth > kGgufMaxArrayDepth) {
      return Status::InvalidInput("arrays nested deeper than " + Str(kGgufMaxArrayDepth) + " levels");
    }
    ASSAY_ASSIGN_OR_RETURN(uint32_t type, cursor_.ReadInteger<uint32_t>());
    ASSAY_ASSIGN_OR_RETURN(uint64_t count, cursor_.ReadInteger<uint64_t>());
    switch (static_cast<GgufValueType>(type)) {
      case GgufValueType::kUint8: return ReadElements<uint8_t>(count, 1, depth);
      case GgufValueType::kInt8: return ReadElements<int8_t>(count, 1, depth);
      case GgufValueType::kUint16: return ReadElements<uint16_t>(count, 2, depth);
      case GgufValueType::kInt16: return ReadElements<int16_t>(count, 2, depth);
      case GgufValueType::kUint32: return ReadElements<uint32_t>(count, 4, depth);
      case GgufValueType::kInt32: return ReadElements<int32_t>(count, 4, depth);
      case GgufValueType::kFloat32: return ReadElements<float>(count, 4, depth);
      case GgufValueType::kBool: return ReadElements<bool>(count, 1, depth);
      case GgufValueType::kString: return ReadElements<std::string>(count, kMinStringBytes, depth);
      case GgufValueType::kArray: return ReadElements<GgufArray>(count, kMinArrayBytes, depth);
      case GgufValueType::kUint64: return ReadElements<uint64_t>(count, 8, depth);
      case GgufValueType::kInt64: return ReadElements<int64_t>(count, 8, depth);
      case GgufValueType::kFloat64: return ReadElements<double>(count, 8, depth);
    }
    return Status::InvalidInput("unknown array element type " + Str(type));
  }

  // general.alignment: a u32 power of two (ggml gguf.cpp checks both), else 32.
  static Result<uint64_t> Alignment(const GgufFile& gguf) {
    const GgufValue* value = gguf.FindMetadata("general.alignment");
    if (value == nullptr) return kDefaultAlignment;
    const auto* alignment = std::get_if<uint32_t>(&value->value);
    if (alignment == nullptr) {
      return Status::InvalidInput("general.alignment has type " +
                                  std::string(GgufValueTypeName(value->type())) + ", expected uint32");
    }
    if (!std::has_single_bit(*alignment)) {
      return Status::InvalidInput("general.alignment " + Str(*alignment) + " is not a power of two");
    }
    return uint64_t{*alignment};
  }

  // After the name: u32 n_dims, the dims, u32 ggml type, u64 offset.
  Result<TensorInfo> ReadTensorInfo(std::string name, uint64_t alignment) {
    TensorInfo info;
    info.entry.name = std::move(name);
    ASSAY_ASSIGN_OR_RETURN(uint32_t dimensions, cursor_.ReadInteger<uint32_t>());
    if (dimensions > kMaxDimensions) {
      return Status::InvalidInput("has " + Str(dimensions) + " dimensions, more than ggml's " +
                                  Str(kMaxDimensions));
    }
    for (uint32_t i = 0; i < dimensions; ++i) {
      ASSAY_ASSIGN_OR_RETURN(uint64_t dimension, cursor_.ReadInteger<uint64_t>());
      // ggml holds dimensions as int64_t and rejects negative ones.
      if (dimension > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Status::InvalidInput("dimension " + Str(i) + " is " + Str(dimension) +
                                    ", above ggml's int64 limit");
      }
      info.entry.shape.push_back(dimension);
    }
    ASSAY_ASSIGN_OR_RETURN(uint32_t type_id, cursor_.ReadInteger<uint32_t>());
    ASSAY_ASSIGN_OR_RETURN(GgmlType type, GgmlTypeFromId(type_id));
    info.entry.dtype = std::string(type.name);
    ASSAY_ASSIGN_OR_RETURN(info.entry.size, GgmlTensorBytes(type, info.entry.shape));
    ASSAY_ASSIGN_OR_RETURN(info.relative_offset, cursor_.ReadInteger<uint64_t>());
    if (info.relative_offset % alignment != 0) {
      return Status::InvalidInput("offset " + Str(info.relative_offset) +
                                  " is not a multiple of the alignment " + Str(alignment));
    }
    return info;
  }

  // Makes offsets absolute and checks every tensor lies inside the file and
  // shares no byte with another (ggml itself requires them packed in order;
  // the spec only requires aligned offsets, so gaps are allowed here).
  Result<std::vector<TensorEntry>> PlaceTensors(std::vector<TensorInfo> infos, uint64_t data_start) {
    std::vector<TensorEntry> tensors;
    tensors.reserve(infos.size());
    for (TensorInfo& info : infos) {
      TensorEntry& entry = info.entry;
      uint64_t end = 0;
      if (__builtin_add_overflow(data_start, info.relative_offset, &entry.offset) ||
          __builtin_add_overflow(entry.offset, entry.size, &end) || end > file_.size()) {
        return Status::InvalidInput("tensor " + Quoted(entry.name) + " (offset " +
                                    Str(info.relative_offset) + ", " + Str(entry.size) +
                                    " bytes) extends past the end of the file (" +
                                    Str(file_.size()) + " bytes)");
      }
      tensors.push_back(std::move(entry));
    }

    std::vector<const TensorEntry*> by_offset;
    for (const TensorEntry& tensor : tensors) {
      if (tensor.size > 0) by_offset.push_back(&tensor);  // an empty range overlaps nothing
    }
    std::sort(by_offset.begin(), by_offset.end(),
              [](const TensorEntry* a, const TensorEntry* b) { return a->offset < b->offset; });
    const TensorEntry* furthest = nullptr;  // of the tensors so far, the one ending last
    for (const TensorEntry* tensor : by_offset) {
      if (furthest != nullptr && tensor->offset < furthest->offset + furthest->size) {
        return Status::InvalidInput("tensors " + Quoted(furthest->name) + " and " +
                                    Quoted(tensor->name) + " overlap");
      }
      if (furthest == nullptr || tensor->offset + tensor->size > furthest->offset + furthest->size) {
        furthest = tensor;
      }
    }
    return tensors;
  }

  const RandomAccessFile& file_;
  Cursor cursor_;
};

}  // namespace

std::string_view GgufValueTypeName(GgufValueType type) {
  switch (type) {
    case GgufValueType::kUint8: return "uint8";
    case GgufValueType::kInt8: return "int8";
    case GgufValueType::kUint16: return "uint16";
    case GgufValueType::kInt16: return "int16";
    case GgufValueType::kUint32: return "uint32";
    case GgufValueType::kInt32: return "int32";
    case GgufValueType::kFloat32: return "float32";
    case GgufValueType::kBool: return "bool";
    case GgufValueType::kString: return "string";
    case GgufValueType::kArray: return "array";
    case GgufValueType::kUint64: return "uint64";
    case GgufValueType::kInt64: return "int64";
    case GgufValueType::kFloat64: return "float64";
  }
  return "unknown";
}

size_t GgufArray::size() const {
  return std::visit([](const auto& vector) { return vector.size(); }, elements);
}

const GgufValue* GgufFile::FindMetadata(std::string_view key) const {
  for (const auto& [name, value] : metadata) {
    if (name == key) return &value;
  }
  return nullptr;
}

Result<GgufFile> ReadGguf(const RandomAccessFile& file) {
  Result<GgufFile> gguf = GgufParser(file).Parse();
  // Read failures already name the file; format errors get it here.
  if (!gguf.ok() && gguf.status().kind() == ErrorKind::kInvalidInput) {
    return gguf.status().WithContext(file.path());
  }
  return gguf;
}

}  // namespace assay
