// fuzz_replay TARGET PATH...: runs TARGET on every file of each PATH (a file,
// or a folder's files in name order; a missing PATH holds none), as libFuzzer
// runs one input; exits 0
// when every input has run. `fuzz_replay --list` names the targets. The test
// command runs each corpus this way, under the sanitizers in the second build:
// a regression input (tests/fuzz/README.md) fails there as it did in libFuzzer.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_target.h"

namespace {

// A folder that is not there holds nothing: a target's regressions folder
// exists once a finding is kept.
std::vector<std::filesystem::path> InputsOf(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return {};
  if (!std::filesystem::is_directory(path)) return {path};
  std::vector<std::filesystem::path> inputs;
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    if (entry.is_regular_file()) inputs.push_back(entry.path());
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "--list") {
    for (const std::string& name : assay::fuzz::Names()) std::printf("%s\n", name.c_str());
    return 0;
  }
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_replay TARGET PATH... | fuzz_replay --list\n");
    return 2;
  }
  const assay::fuzz::Body body = assay::fuzz::Find(argv[1]);
  if (body == nullptr) {
    std::fprintf(stderr, "fuzz_replay: no target '%s' (--list names them)\n", argv[1]);
    return 2;
  }
  size_t ran = 0;
  for (int i = 2; i < argc; ++i) {
    for (const std::filesystem::path& input : InputsOf(argv[i])) {
      std::ifstream file(input, std::ios::binary);
      if (!file) {
        std::fprintf(stderr, "fuzz_replay: cannot read %s\n", input.c_str());
        return 2;
      }
      const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
      body(bytes);
      ++ran;
    }
  }
  if (ran == 0) {
    std::fprintf(stderr, "fuzz_replay: no input for %s\n", argv[1]);
    return 1;
  }
  std::printf("%s: %zu inputs ran\n", argv[1], ran);
  return 0;
}
