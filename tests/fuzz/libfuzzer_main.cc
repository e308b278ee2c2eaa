// libFuzzer's entry point for the target this binary was built for
// (ASSAY_FUZZ_TARGET_NAME, set by tests/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const assay::fuzz::Body body = [] {
    assay::fuzz::Body found = assay::fuzz::Find(ASSAY_FUZZ_TARGET_NAME);
    if (found == nullptr) {
      std::fprintf(stderr, "no fuzz target %s in this binary\n", ASSAY_FUZZ_TARGET_NAME);
      std::abort();
    }
    return found;
  }();
  body(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
