#include <map>

#include "fuzz_target.h"

namespace assay::fuzz {
namespace {

// Built on first use: targets register from static initializers in any order.
std::map<std::string, Body, std::less<>>& Registry() {
  static std::map<std::string, Body, std::less<>> registry;
  return registry;
}

}  // namespace

bool Register(const char* name, Body body) { return Registry().emplace(name, body).second; }

Body Find(std::string_view name) {
  const auto found = Registry().find(name);
  return found == Registry().end() ? nullptr : found->second;
}

std::vector<std::string> Names() {
  std::vector<std::string> names;
  for (const auto& [name, body] : Registry()) names.push_back(name);
  return names;
}

}  // namespace assay::fuzz
