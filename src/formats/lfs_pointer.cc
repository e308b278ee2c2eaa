#include "formats/lfs_pointer.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <optional>

namespace assay {
namespace {

constexpr std::string_view kOidPrefix = "sha256:";

std::string LinePrefix(size_t line) { return "line " + std::to_string(line) + ": "; }

// Keys may use only [a-z] [0-9] . - (docs/spec.md).
bool IsKeyCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

// Every valid value is ASCII, so the first byte that is not printable ASCII
// (or a line feed) is reported; a carriage return gets a message of its own
// because CRLF checkouts are the common way a pointer is damaged.
Status CheckText(std::string_view text) {
  size_t line = 1;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      ++line;
    } else if (c == '\r') {
      return Status::InvalidInput(LinePrefix(line) +
                                  "carriage return: pointer lines end in a line feed alone");
    } else if (byte < 0x20 || byte >= 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", byte);
      return Status::InvalidInput(LinePrefix(line) + "byte " + hex +
                                  " is not text: not a git-lfs pointer");
    }
  }
  if (!text.empty() && text.back() != '\n') {
    return Status::InvalidInput(LinePrefix(line) + "does not end with a line feed");
  }
  return Status::Ok();
}

// "sha256:" and 64 lowercase hex digits: the only oid form git-lfs writes.
std::optional<Sha256Digest> ParseOid(std::string_view value) {
  if (!value.starts_with(kOidPrefix)) return std::nullopt;
  std::string_view hex = value.substr(kOidPrefix.size());
  if (hex.size() != 64) return std::nullopt;
  if (!std::all_of(hex.begin(), hex.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    return std::nullopt;
  }
  return Sha256FromHex(hex);
}

// A decimal byte count without sign or leading zeros, within git-lfs's int64.
std::optional<uint64_t> ParseSize(std::string_view value) {
  if (value.empty() || (value.size() > 1 && value[0] == '0')) return std::nullopt;
  uint64_t size = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), size);
  if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
  if (size > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return size;
}

// `ext-<digit>-<name>` (docs/extensions.md); nullopt when `key` is not of that form.
std::optional<LfsExtension> ParseExtensionKey(std::string_view key) {
  if (key.size() < 7 || !key.starts_with("ext-") || key[4] < '0' || key[4] > '9' || key[5] != '-')
    return std::nullopt;
  std::string_view name = key.substr(6);
  if (!std::all_of(name.begin(), name.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); })) {
    return std::nullopt;
  }
  return LfsExtension{key[4] - '0', std::string(name), {}};
}

struct KeyValue {
  std::string_view key;
  std::string_view value;
};

Result<KeyValue> SplitLine(std::string_view text, size_t line) {
  size_t space = text.find(' ');
  if (space == std::string_view::npos || space == 0) {
    return Status::InvalidInput(LinePrefix(line) + "expected \"key value\"");
  }
  KeyValue pair{text.substr(0, space), text.substr(space + 1)};
  if (!std::all_of(pair.key.begin(), pair.key.end(), IsKeyCharacter)) {
    return Status::InvalidInput(LinePrefix(line) + "key \"" + std::string(pair.key) +
                                "\" has characters outside [a-z0-9.-]");
  }
  if (pair.value.empty() || pair.value.find(' ') != std::string_view::npos) {
    return Status::InvalidInput(LinePrefix(line) +
                                "expected one space between key and a value without spaces");
  }
  return pair;
}

}  // namespace

const Sha256Digest& LfsPointer::ContentDigest() const {
  return extensions.empty() ? oid : extensions.front().input_oid;
}

bool LooksLikeLfsPointer(std::string_view head) {
  // The version URLs up to "spec/": a pointer of another spec version still claims to be one.
  return head.starts_with("version https://git-lfs.github.com/spec/") ||
         head.starts_with("version https://hawser.github.com/spec/");
}

Result<LfsPointer> ParseLfsPointer(std::string_view text) {
  if (text.size() > kMaxLfsPointerBytes) {
    return Status::InvalidInput(std::to_string(text.size()) +
                                " bytes, more than a git-lfs pointer's " +
                                std::to_string(kMaxLfsPointerBytes));
  }
  if (text.empty()) return Status::InvalidInput("empty, not a git-lfs pointer");
  ASSAY_RETURN_IF_ERROR(CheckText(text));

  LfsPointer pointer;
  bool have_oid = false, have_size = false;
  std::string_view previous_key;
  size_t line = 0;
  for (size_t start = 0; start < text.size();) {
    const size_t end = text.find('\n', start);  // CheckText guarantees one
    std::string_view content = text.substr(start, end - start);
    start = end + 1;
    ++line;
    ASSAY_ASSIGN_OR_RETURN(KeyValue pair, SplitLine(content, line));
    const std::string key(pair.key);
    if (line == 1) {
      if (pair.key != "version")
        return Status::InvalidInput("line 1: the first key must be version, not \"" + key + "\"");
      if (pair.value != kLfsSpecV1 && pair.value != kLfsSpecHawser) {
        return Status::InvalidInput("line 1: unknown pointer version \"" + std::string(pair.value) +
                                    "\"");
      }
      pointer.version = std::string(pair.value);
      previous_key = pair.key;
      continue;
    }
    // Sorted, version first (docs/spec.md): a repeat or a step back is an error.
    if (pair.key == previous_key || pair.key == "version") {
      return Status::InvalidInput(LinePrefix(line) + "key \"" + key + "\" repeated");
    }
    if (line > 2 && pair.key < previous_key) {
      return Status::InvalidInput(LinePrefix(line) + "key \"" + key +
                                  "\" out of order (keys are sorted after version)");
    }
    previous_key = pair.key;
    if (pair.key == "oid") {
      std::optional<Sha256Digest> oid = ParseOid(pair.value);
      if (!oid)
        return Status::InvalidInput(LinePrefix(line) +
                                    "oid must be sha256: and 64 lowercase hex digits");
      pointer.oid = *oid;
      have_oid = true;
    } else if (pair.key == "size") {
      std::optional<uint64_t> size = ParseSize(pair.value);
      if (!size)
        return Status::InvalidInput(LinePrefix(line) + "size \"" + std::string(pair.value) +
                                    "\" is not a byte count");
      pointer.size = *size;
      have_size = true;
    } else if (std::optional<LfsExtension> extension = ParseExtensionKey(pair.key)) {
      if (!pointer.extensions.empty() &&
          pointer.extensions.back().priority == extension->priority) {
        return Status::InvalidInput(LinePrefix(line) + "extension priority " +
                                    std::to_string(extension->priority) + " repeated");
      }
      std::optional<Sha256Digest> input = ParseOid(pair.value);
      if (!input)
        return Status::InvalidInput(LinePrefix(line) + key +
                                    " must be sha256: and 64 lowercase hex digits");
      extension->input_oid = *input;
      pointer.extensions.push_back(std::move(*extension));
    } else {
      return Status::InvalidInput(LinePrefix(line) + "unknown key \"" + key + "\"");
    }
  }
  if (!have_oid) return Status::InvalidInput("no oid line");
  if (!have_size) return Status::InvalidInput("no size line");
  return pointer;
}

std::string FormatLfsPointer(const LfsPointer& pointer) {
  std::string text = "version " + pointer.version + "\n";
  for (const LfsExtension& extension : pointer.extensions) {
    text += "ext-" + std::to_string(extension.priority) + "-" + extension.name +
            " sha256:" + ToHex(extension.input_oid) + "\n";
  }
  return text + "oid sha256:" + ToHex(pointer.oid) + "\nsize " + std::to_string(pointer.size) +
         "\n";
}

}  // namespace assay
