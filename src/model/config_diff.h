// What changed in a model's configuration between two uploads: config.json,
// generation_config.json, the tokenizer files. Weights can stay byte for byte
// the same while the model changes (a longer context, another end-of-turn
// token, another architecture), so `assay diff` compares these files key by
// key and marks the keys that change what the model is:
//
//   architectures, model_type, hidden_size, intermediate_size,
//   num_hidden_layers, num_attention_heads, num_key_value_heads, vocab_size,
//   rope_scaling, rope_theta, max_position_embeddings, eos_token_id,
//   bos_token_id, torch_dtype, tie_word_embeddings
//
// (docs/usage.md, "assay diff"). A key path is marked when any of its
// components is one of these, so rope_scaling.factor and
// text_config.hidden_size are marked too. For tokenizer.json, whose vocabulary
// is too large to list key by key, the digest decides, and the vocabulary
// size (marked) and the added tokens are compared.
//
// A model record holds only the digests of these files (configDigests): a
// side read from a record says a file changed, not which keys.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "file_system.h"
#include "model/manifest_diff.h"
#include "model/model_manifest.h"
#include "status.h"

namespace assay {

// Files whose digests a model record repeats under configDigests, because
// they change a model's identity without touching its weights.
bool IsConfigFile(const std::string& relative_path);

// The keys listed above, in that order.
const std::vector<std::string_view>& IdentityConfigKeys();
// A dotted key path with an identity key among its components.
bool IsIdentityKeyPath(std::string_view dotted_path);

enum class ConfigFileKind {
  kJson,       // compared key by key: config.json, generation_config.json, tokenizer_config.json, ...
  kTokenizer,  // tokenizer.json: vocabulary size and added tokens
  kOpaque,     // tokenizer.model, chat_template.jinja: by digest
};
// For a path IsConfigFile accepts.
ConfigFileKind ConfigFileKindOf(std::string_view relative_path);

struct TokenizerSummary {
  std::optional<uint64_t> vocab_size;            // entries of model.vocab, when present
  std::map<uint64_t, std::string> added_tokens;  // id -> content
};

// One config file of one side.
struct ConfigFile {
  std::string path;  // relative, POSIX
  Sha256Digest sha256{};
  ConfigFileKind kind = ConfigFileKind::kJson;
  // The content, when the side is a folder; absent when only the digest is known.
  std::optional<nlohmann::json> json;          // kJson
  std::optional<TokenizerSummary> tokenizer;   // kTokenizer

  bool content_known() const { return json.has_value() || tokenizer.has_value(); }
};

// The config files (IsConfigFile) of a manifest, digests only.
std::vector<ConfigFile> ConfigFilesOf(const ModelManifest& manifest);

// Reads the content of `file` (kJson or kTokenizer; kOpaque files are left
// as they are) from `folder`/path, checking that it still has file.sha256.
// kInvalidInput, naming the file, for one that is not valid JSON or is too
// large; kIo for read failures or a file that changed since it was hashed.
Status ReadConfigContent(FileSystem& fs, const std::string& folder, ConfigFile& file);

// ConfigFilesOf with every content read from `folder`, the folder the
// manifest was made from (as the user named it), with ReadConfigContent.
Result<std::vector<ConfigFile>> ReadConfigFiles(FileSystem& fs, const std::string& folder,
                                                const ModelManifest& manifest);

// The tokenizer.json summary of `text`; kInvalidInput when it is not JSON.
Result<TokenizerSummary> SummarizeTokenizer(std::string_view text);

struct ConfigKeyDifference {
  Change change = Change::kChanged;
  // Dotted path ("rope_scaling.factor"); for tokenizer.json "model.vocab (entries)"
  // and "added_tokens[ID]".
  std::string key;
  nlohmann::json before;  // meaningful unless added
  nlohmann::json after;   // meaningful unless removed
  bool identity = false;
};

struct ConfigFileDifference {
  std::string path;
  ConfigFileKind kind = ConfigFileKind::kJson;
  Change change = Change::kChanged;  // of the file
  // Changed, but a side knows only the digest (a record) or the file is opaque:
  // no keys to show.
  bool keys_known = true;
  std::vector<ConfigKeyDifference> keys;  // sorted by key

  bool IdentityChanged() const;
};

struct ConfigDiff {
  std::vector<ConfigFileDifference> files;  // sorted by path; files with equal digests are absent

  bool empty() const { return files.empty(); }
  bool IdentityChanged() const;
};

ConfigDiff DiffConfigs(const std::vector<ConfigFile>& before, const std::vector<ConfigFile>& after);

// Key-by-key differences of two JSON documents: objects are compared key by
// key (recursively), anything else as a whole value; numbers by value, so
// 8 and 8.0 are equal.
std::vector<ConfigKeyDifference> DiffJsonKeys(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace assay
