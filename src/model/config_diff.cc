#include "model/config_diff.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "json/lenient_json.h"

namespace assay {
namespace {

using nlohmann::json;

// Config files are kilobytes; tokenizer.json is megabytes (Llama 3's is 9 MB,
// Gemma's 34 MB). The limits bound a hostile file, not a real one.
constexpr uint64_t kMaxConfigBytes = 16u << 20;
constexpr uint64_t kMaxTokenizerBytes = 256u << 20;

// Configs are written by Python's json module, which may write NaN and
// Infinity; the lenient reader takes those and is otherwise the one strict
// reader, whose depth limit bounds the recursive walks below.
Result<json> ParseJson(std::string_view text) { return ParseLenientJson(text); }

void DiffValues(const json& before, const json& after, const std::string& path,
                std::vector<ConfigKeyDifference>& out) {
  if (before.is_object() && after.is_object()) {
    std::set<std::string> keys;
    for (const auto& item : before.items()) keys.insert(item.key());
    for (const auto& item : after.items()) keys.insert(item.key());
    for (const std::string& key : keys) {
      const std::string child = path.empty() ? key : path + "." + key;
      auto old_value = before.find(key);
      auto new_value = after.find(key);
      if (new_value == after.end()) {
        out.push_back({Change::kRemoved, child, *old_value, json(), IsIdentityKeyPath(child)});
      } else if (old_value == before.end()) {
        out.push_back({Change::kAdded, child, json(), *new_value, IsIdentityKeyPath(child)});
      } else {
        DiffValues(*old_value, *new_value, child, out);
      }
    }
    return;
  }
  if (before != after) out.push_back({Change::kChanged, path, before, after, IsIdentityKeyPath(path)});
}

std::vector<ConfigKeyDifference> DiffTokenizers(const TokenizerSummary& before, const TokenizerSummary& after) {
  std::vector<ConfigKeyDifference> out;
  if (before.vocab_size != after.vocab_size) {
    // The vocabulary's size is the tokenizer's side of config.json's vocab_size: an identity key.
    const json old_size = before.vocab_size ? json(*before.vocab_size) : json();
    const json new_size = after.vocab_size ? json(*after.vocab_size) : json();
    Change change = !before.vocab_size ? Change::kAdded : !after.vocab_size ? Change::kRemoved : Change::kChanged;
    out.push_back({change, "model.vocab (entries)", old_size, new_size, true});
  }
  std::set<uint64_t> ids;
  for (const auto& [id, content] : before.added_tokens) ids.insert(id);
  for (const auto& [id, content] : after.added_tokens) ids.insert(id);
  for (uint64_t id : ids) {
    auto old_token = before.added_tokens.find(id);
    auto new_token = after.added_tokens.find(id);
    const std::string key = "added_tokens[" + std::to_string(id) + "]";
    if (new_token == after.added_tokens.end()) {
      out.push_back({Change::kRemoved, key, old_token->second, json(), false});
    } else if (old_token == before.added_tokens.end()) {
      out.push_back({Change::kAdded, key, json(), new_token->second, false});
    } else if (old_token->second != new_token->second) {
      out.push_back({Change::kChanged, key, old_token->second, new_token->second, false});
    }
  }
  return out;
}

ConfigFileDifference DiffConfigFile(const ConfigFile& before, const ConfigFile& after) {
  ConfigFileDifference difference{after.path, after.kind, Change::kChanged, false, {}};
  if (before.json && after.json) {
    difference.keys_known = true;
    difference.keys = DiffJsonKeys(*before.json, *after.json);
  } else if (before.tokenizer && after.tokenizer) {
    difference.keys_known = true;
    difference.keys = DiffTokenizers(*before.tokenizer, *after.tokenizer);
  }
  std::sort(difference.keys.begin(), difference.keys.end(),
            [](const ConfigKeyDifference& a, const ConfigKeyDifference& b) { return a.key < b.key; });
  return difference;
}

}  // namespace

bool IsConfigFile(const std::string& relative_path) {
  static const char* const kNames[] = {
      "config.json",           "generation_config.json", "tokenizer.json",
      "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model",
      "chat_template.jinja",   "chat_template.json",      "preprocessor_config.json"};
  std::string name = std::filesystem::path(relative_path).filename().string();
  for (const char* known : kNames) {
    if (name == known) return true;
  }
  return false;
}

const std::vector<std::string_view>& IdentityConfigKeys() {
  static const std::vector<std::string_view> kKeys = {
      "architectures",       "model_type",          "hidden_size",         "intermediate_size",
      "num_hidden_layers",   "num_attention_heads", "num_key_value_heads", "vocab_size",
      "rope_scaling",        "rope_theta",          "max_position_embeddings",
      "eos_token_id",        "bos_token_id",        "torch_dtype",         "tie_word_embeddings"};
  return kKeys;
}

bool IsIdentityKeyPath(std::string_view dotted_path) {
  const std::vector<std::string_view>& keys = IdentityConfigKeys();
  size_t start = 0;
  while (start <= dotted_path.size()) {
    size_t dot = dotted_path.find('.', start);
    std::string_view component = dotted_path.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (std::find(keys.begin(), keys.end(), component) != keys.end()) return true;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return false;
}

ConfigFileKind ConfigFileKindOf(std::string_view relative_path) {
  const std::string name = std::filesystem::path(relative_path).filename().string();
  if (name == "tokenizer.json") return ConfigFileKind::kTokenizer;
  return name.ends_with(".json") ? ConfigFileKind::kJson : ConfigFileKind::kOpaque;
}

std::vector<ConfigFile> ConfigFilesOf(const ModelManifest& manifest) {
  std::vector<ConfigFile> files;
  for (const FileRecord& file : manifest.files) {
    if (IsConfigFile(file.path)) files.push_back({file.path, file.sha256, ConfigFileKindOf(file.path), {}, {}});
  }
  return files;
}

Result<TokenizerSummary> SummarizeTokenizer(std::string_view text) {
  ASSAY_ASSIGN_OR_RETURN(json document, ParseJson(text));
  TokenizerSummary summary;
  if (!document.is_object()) return summary;
  // model.vocab is a token -> id object (BPE, WordPiece, WordLevel) or a list
  // of [token, score] pairs (Unigram); either way its size is the vocabulary's.
  if (auto model = document.find("model"); model != document.end() && model->is_object()) {
    if (auto vocab = model->find("vocab"); vocab != model->end() && (vocab->is_object() || vocab->is_array())) {
      summary.vocab_size = vocab->size();
    }
  }
  if (auto added = document.find("added_tokens"); added != document.end() && added->is_array()) {
    for (const json& token : *added) {
      if (!token.is_object()) continue;
      auto id = token.find("id");
      auto content = token.find("content");
      if (id == token.end() || content == token.end() || !id->is_number_unsigned() || !content->is_string()) continue;
      summary.added_tokens[id->get<uint64_t>()] = content->get<std::string>();
    }
  }
  return summary;
}

Status ReadConfigContent(FileSystem& fs, const std::string& folder, ConfigFile& file) {
  if (file.kind == ConfigFileKind::kOpaque) return Status::Ok();
  const std::string path = folder + "/" + file.path;
  const uint64_t limit = file.kind == ConfigFileKind::kTokenizer ? kMaxTokenizerBytes : kMaxConfigBytes;
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs, path, limit));
  if (Sha256::Of(text) != file.sha256) return Status::IoError(path + ": file changed while the folder was being read");
  if (file.kind == ConfigFileKind::kTokenizer) {
    Result<TokenizerSummary> summary = SummarizeTokenizer(text);
    if (!summary.ok()) return summary.status().WithContext(path);
    file.tokenizer = std::move(*summary);
  } else {
    Result<json> document = ParseJson(text);
    if (!document.ok()) return document.status().WithContext(path);
    file.json = std::move(*document);
  }
  return Status::Ok();
}

Result<std::vector<ConfigFile>> ReadConfigFiles(FileSystem& fs, const std::string& folder,
                                                const ModelManifest& manifest) {
  std::vector<ConfigFile> files = ConfigFilesOf(manifest);
  for (ConfigFile& file : files) ASSAY_RETURN_IF_ERROR(ReadConfigContent(fs, folder, file));
  return files;
}

std::vector<ConfigKeyDifference> DiffJsonKeys(const json& before, const json& after) {
  std::vector<ConfigKeyDifference> out;
  DiffValues(before, after, "", out);
  return out;
}

bool ConfigFileDifference::IdentityChanged() const {
  return std::any_of(keys.begin(), keys.end(), [](const ConfigKeyDifference& key) { return key.identity; });
}

bool ConfigDiff::IdentityChanged() const {
  return std::any_of(files.begin(), files.end(), [](const ConfigFileDifference& file) { return file.IdentityChanged(); });
}

ConfigDiff DiffConfigs(const std::vector<ConfigFile>& before, const std::vector<ConfigFile>& after) {
  std::map<std::string, const ConfigFile*> old_files, new_files;
  for (const ConfigFile& file : before) old_files[file.path] = &file;
  for (const ConfigFile& file : after) new_files[file.path] = &file;
  ConfigDiff diff;
  for (const auto& [path, file] : old_files) {
    auto found = new_files.find(path);
    if (found == new_files.end()) {
      diff.files.push_back({path, file->kind, Change::kRemoved, true, {}});
    } else if (found->second->sha256 != file->sha256) {
      diff.files.push_back(DiffConfigFile(*file, *found->second));
    }
  }
  for (const auto& [path, file] : new_files) {
    if (old_files.count(path) == 0) diff.files.push_back({path, file->kind, Change::kAdded, true, {}});
  }
  std::sort(diff.files.begin(), diff.files.end(),
            [](const ConfigFileDifference& a, const ConfigFileDifference& b) { return a.path < b.path; });
  return diff;
}

}  // namespace assay
