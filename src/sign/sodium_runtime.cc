#include "sign/sodium_runtime.h"

#include <sodium.h>

#include <cstdlib>

namespace assay {

void EnsureSodium() {
  // A function-local static is initialised exactly once, even under concurrent
  // first calls (C++11 [stmt.dcl]/4), so sodium_init runs once.
  static const bool initialised = [] {
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)initialised;
}

}  // namespace assay
