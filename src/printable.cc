#include "printable.h"

#include <cstdint>

#include "utf8.h"

namespace assay {
namespace {

bool IsControl(uint32_t code_point) {
  return code_point < 0x20 || code_point == 0x7f || (code_point >= 0x80 && code_point <= 0x9f);
}

}  // namespace

std::string Printable(std::string_view text) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8At(text, i, code_point);
    if (length == 0) {
      const auto byte = static_cast<uint8_t>(text[i]);
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
      ++i;
      continue;
    }
    if (!IsControl(code_point)) {
      out.append(text.substr(i, length));
    } else if (code_point == '\n') {
      out += "\\n";
    } else if (code_point == '\r') {
      out += "\\r";
    } else if (code_point == '\t') {
      out += "\\t";
    } else if (code_point < 0x80) {
      out += "\\x";
      out += kHex[code_point >> 4];
      out += kHex[code_point & 0xf];
    } else {
      out += "\\u00";
      out += kHex[code_point >> 4];
      out += kHex[code_point & 0xf];
    }
    i += length;
  }
  return out;
}

bool HasControlCharacters(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8At(text, i, code_point);
    if (length == 0 || IsControl(code_point)) return true;
    i += length;
  }
  return false;
}

}  // namespace assay
