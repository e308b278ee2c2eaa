#include "sign/base64.h"

#include <sodium.h>

#include <cstdlib>
#include <optional>

#include "sign/bytes.h"
#include "sign/sodium_runtime.h"

namespace assay {
namespace {

std::string Encode(std::span<const uint8_t> bytes, int variant) {
  EnsureSodium();
  std::string text(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), variant);
  text.pop_back();  // the terminating NUL sodium writes
  return text;
}

// Decodes all of `text` into `out`; the decoded length, or nullopt when
// `text` is not base64 of `variant` or does not fit.
std::optional<size_t> DecodeTo(std::string_view text, std::span<uint8_t> out, int variant) {
  EnsureSodium();
  size_t length = 0;
  // A null end pointer makes libsodium reject any character it cannot use,
  // instead of stopping there.
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        variant) != 0) {
    return std::nullopt;
  }
  return length;
}

Result<std::string> Decode(std::string_view text, int variant) {
  std::string bytes(text.size() / 4 * 3 + 3, '\0');
  std::span<uint8_t> out(reinterpret_cast<uint8_t*>(bytes.data()), bytes.size());
  std::optional<size_t> length = DecodeTo(text, out, variant);
  if (!length) return Status::InvalidInput("invalid base64");
  bytes.resize(*length);
  return bytes;
}

}  // namespace

std::string EncodeBase64(std::span<const uint8_t> bytes) {
  return Encode(bytes, sodium_base64_VARIANT_ORIGINAL);
}

std::string EncodeBase64(std::string_view bytes) { return EncodeBase64(AsBytes(bytes)); }

std::string EncodeBase64Unpadded(std::span<const uint8_t> bytes) {
  return Encode(bytes, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

size_t EncodeBase64Into(std::span<const uint8_t> bytes, std::span<uint8_t> out) {
  EnsureSodium();
  size_t length = Base64EncodedLength(bytes.size());
  if (out.size() < length + 1) std::abort();  // a caller's sizing bug, never input-dependent
  sodium_bin2base64(reinterpret_cast<char*>(out.data()), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  return length;
}

size_t Base64EncodedLength(size_t size) {
  return sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL) - 1;
}

Result<std::string> DecodeBase64(std::string_view text) {
  return Decode(text, sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> DecodeBase64AnyVariant(std::string_view text) {
  bool url_safe = text.find_first_of("-_") != std::string_view::npos;
  bool padded = !text.empty() && text.back() == '=';
  // libsodium checks that padding, when present, is complete and correct.
  int variant =
      url_safe
          ? (padded ? sodium_base64_VARIANT_URLSAFE : sodium_base64_VARIANT_URLSAFE_NO_PADDING)
          : (padded ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  return Decode(text, variant);
}

Status DecodeBase64Into(std::string_view text, std::span<uint8_t> out) {
  std::optional<size_t> length = DecodeTo(text, out, sodium_base64_VARIANT_ORIGINAL);
  if (!length || *length != out.size()) {
    return Status::InvalidInput("invalid base64 or wrong length");
  }
  return Status::Ok();
}

}  // namespace assay
