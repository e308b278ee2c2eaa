#include "render/config_render.h"

#include "render/text.h"

namespace assay {
namespace {

// Long values (a chat template, a tokenizer's merges) are cut for the terminal; --json has them whole.
constexpr size_t kMaxValueColumns = 200;

std::string ShortConfigValue(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > kMaxValueColumns) text = text.substr(0, kMaxValueColumns - 3) + "...";
  return text;
}

}  // namespace

std::string ConfigFileText(const ConfigFileDifference& file) {
  std::string head = file.path + " " + std::string(ChangeName(file.change));
  if (file.change == Change::kChanged && !file.keys_known) {
    head += file.kind == ConfigFileKind::kOpaque ? " (compared by digest: not a JSON file)"
                                                 : " (digest only; give a folder to see keys)";
  }
  std::string text = Format("config     %s\n", head);
  for (const ConfigKeyDifference& key : file.keys) {
    std::string value = key.change == Change::kAdded     ? ShortConfigValue(key.after)
                        : key.change == Change::kRemoved ? ShortConfigValue(key.before)
                                                         : ShortConfigValue(key.before) + " -> " + ShortConfigValue(key.after);
    text += Format("  key %-8s %s: %s%s\n", std::string(ChangeName(key.change)), key.key, value,
                   key.identity ? "  [identity]" : "");
  }
  return text;
}

nlohmann::json ConfigDiffJson(const ConfigDiff& diff) {
  nlohmann::json configs = nlohmann::json::array();
  for (const ConfigFileDifference& file : diff.files) {
    nlohmann::json keys = nlohmann::json::array();
    for (const ConfigKeyDifference& key : file.keys) {
      nlohmann::json entry = {{"key", key.key}, {"change", ChangeName(key.change)}, {"identity", key.identity}};
      if (key.change != Change::kAdded) entry["before"] = key.before;
      if (key.change != Change::kRemoved) entry["after"] = key.after;
      keys.push_back(std::move(entry));
    }
    configs.push_back({{"path", file.path}, {"change", ChangeName(file.change)}, {"keysKnown", file.keys_known}, {"keys", keys}});
  }
  return configs;
}

}  // namespace assay
