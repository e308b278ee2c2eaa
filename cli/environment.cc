#include "cli/environment.h"

#include <cstdlib>
#include <cstring>

namespace assay::cli {

std::string FromEnvironment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

namespace {

// $override, else $xdg_variable + suffix, else $HOME + home_fallback + suffix.
std::string Resolve(const char* override_variable, const char* xdg_variable, const char* home_fallback,
                    const std::string& suffix) {
  if (std::string path = FromEnvironment(override_variable); !path.empty()) return path;
  if (std::string base = FromEnvironment(xdg_variable); !base.empty()) return base + suffix;
  std::string home = FromEnvironment("HOME");
  return (home.empty() ? std::string(".") : home) + home_fallback + suffix;
}

std::string First(const std::string& flag, const char* variable, const std::string& fallback) {
  if (!flag.empty()) return flag;
  if (std::string value = FromEnvironment(variable); !value.empty()) return value;
  return fallback;
}

}  // namespace

Paths ResolvePaths(const CommonFlags& flags) {
  Paths paths;
  paths.config_dir = Resolve("ASSAY_CONFIG_DIR", "XDG_CONFIG_HOME", "/.config", "/assay");
  paths.cache_dir = flags.cache_dir.empty() ? Resolve("ASSAY_CACHE_DIR", "XDG_CACHE_HOME", "/.cache", "/assay")
                                            : flags.cache_dir;
  paths.ledger_is_default = flags.ledger.empty() && FromEnvironment("ASSAY_LEDGER").empty();
  paths.ledger = First(flags.ledger, "ASSAY_LEDGER", Resolve("", "XDG_DATA_HOME", "/.local/share", "/assay/ledger"));
  paths.trust_file = First(flags.trust, "ASSAY_TRUST_FILE", paths.config_dir + "/trust");
  paths.key_file = First(flags.key, "ASSAY_KEY", paths.config_dir + "/assay.key");
  return paths;
}

PassphraseSources ResolvePassphraseSources(const CommonFlags& flags, Prompter* prompter) {
  PassphraseSources sources;
  sources.file = flags.passphrase_file;
  if (const char* value = std::getenv("ASSAY_PASSPHRASE"); value != nullptr) {
    sources.environment = SecretBytes::CopyOf(std::span(reinterpret_cast<const uint8_t*>(value), std::strlen(value)));
  }
  sources.prompter = prompter;
  return sources;
}

}  // namespace assay::cli
