// Views between text and bytes: the signing formats mix binary fields with
// text (JSON, armored base64), and these spare every caller the casts.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace assay {

inline std::span<const uint8_t> AsBytes(std::string_view text) {
  return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

inline std::string_view AsText(std::span<const uint8_t> bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace assay
