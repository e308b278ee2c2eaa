// A fuzz target (tests/fuzz/README.md): one parser of untrusted bytes, fed
// whatever libFuzzer makes or a corpus holds. Any outcome of the parser, a
// value or an error, is fine; a crash, a sanitizer report, a leak or an
// unbounded allocation is a finding.
//
// Targets register themselves by name, so the same files build two ways:
// one libFuzzer binary per target (the fuzz build, ASSAY_FUZZ), and one
// replay binary holding them all that runs each corpus as a test in the two
// GCC builds, under the sanitizers in the second.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace assay::fuzz {

using Body = void (*)(std::string_view input);

bool Register(const char* name, Body body);
Body Find(std::string_view name);  // null when no target has that name
std::vector<std::string> Names();

}  // namespace assay::fuzz

#define ASSAY_FUZZ_TARGET(name)                                                                      \
  static void FuzzBody_##name(std::string_view input);                                               \
  [[maybe_unused]] static const bool kRegistered_##name = ::assay::fuzz::Register(#name, FuzzBody_##name); \
  static void FuzzBody_##name(std::string_view input)
