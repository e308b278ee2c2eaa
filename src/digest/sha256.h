// Streaming SHA-256 through OpenSSL's EVP interface, which uses the CPU's SHA
// extensions where present (DESIGN.md measured 1.37 GB/s per core, five times
// libsodium's portable code). Not thread-safe: one hasher per thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace assay {

using Sha256Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&& other) noexcept;
  Sha256& operator=(Sha256&& other) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::span<const uint8_t> bytes);
  void Update(std::string_view bytes);
  // Ends this hash; the hasher must not be updated afterwards.
  Sha256Digest Finish();

  static Sha256Digest Of(std::span<const uint8_t> bytes);
  static Sha256Digest Of(std::string_view bytes);

 private:
  ::evp_md_ctx_st* context_;
};

// Lowercase hex, as in-toto subjects and git-lfs oids write digests.
std::string ToHex(std::span<const uint8_t> bytes);
// Parses exactly 64 hex digits (either case); nullopt otherwise.
std::optional<Sha256Digest> Sha256FromHex(std::string_view hex);
// Whether every character is one of 0-9a-f (ids are written in lowercase only).
inline bool IsLowerHex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace assay
