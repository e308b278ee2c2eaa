#include "cli/paths.h"

#include <cstdlib>

namespace assay::cli {
namespace {

std::string FromEnvironment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

// $override, else $xdg_variable + suffix, else $HOME + home_fallback + suffix.
std::string Resolve(const char* override_variable, const char* xdg_variable,
                    const char* home_fallback, const std::string& suffix) {
  if (std::string path = FromEnvironment(override_variable); !path.empty()) return path;
  if (std::string base = FromEnvironment(xdg_variable); !base.empty()) return base + suffix;
  std::string home = FromEnvironment("HOME");
  return (home.empty() ? std::string(".") : home) + home_fallback + suffix;
}

}  // namespace

std::string DefaultCacheDir() { return Resolve("ASSAY_CACHE_DIR", "XDG_CACHE_HOME", "/.cache", "/assay"); }
std::string DefaultConfigDir() { return Resolve("ASSAY_CONFIG_DIR", "XDG_CONFIG_HOME", "/.config", "/assay"); }
std::string DefaultLedgerDir() {
  return Resolve("ASSAY_LEDGER", "XDG_DATA_HOME", "/.local/share", "/assay/ledger");
}

}  // namespace assay::cli
