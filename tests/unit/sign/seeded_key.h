// A deterministic Ed25519 key for the sign area's tests: the seed is 32 bytes of `fill`.
#pragma once

#include <array>
#include <cstdint>

#include "sign/ed25519_key.h"

namespace assay::sign_testing {

inline Ed25519SecretKey SeededKey(uint8_t fill) {
  std::array<uint8_t, 32> seed{};
  seed.fill(fill);
  return Ed25519SecretKey::FromSeed(seed);
}

}  // namespace assay::sign_testing
