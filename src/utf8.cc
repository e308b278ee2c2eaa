#include "utf8.h"

namespace assay {

size_t DecodeUtf8At(std::string_view text, size_t i, uint32_t& code_point) {
  const auto lead = static_cast<uint8_t>(text[i]);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  size_t length = 0;
  uint32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (text.size() - i < length) return 0;
  for (size_t k = 1; k < length; ++k) {
    const auto continuation = static_cast<uint8_t>(text[i + k]);
    if ((continuation & 0xC0) != 0x80) return 0;
    code_point = code_point << 6 | (continuation & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
  return length;
}

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8At(text, i, code_point);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

}  // namespace assay
