#include "model/config_diff.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace assay {
namespace {

using nlohmann::json;

// meta-llama/Meta-Llama-3-8B-Instruct's config.json and Llama-3.1-8B-Instruct's, as published.
const char kLlama3[] = R"({
  "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
  "bos_token_id": 128000, "eos_token_id": 128001, "hidden_act": "silu", "hidden_size": 4096,
  "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 8192,
  "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
  "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_scaling": null, "rope_theta": 500000.0,
  "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.40.0.dev0",
  "use_cache": true, "vocab_size": 128256})";
const char kLlama31[] = R"({
  "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
  "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "hidden_act": "silu", "hidden_size": 4096,
  "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 131072, "mlp_bias": false,
  "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
  "pretraining_tp": 1, "rms_norm_eps": 1e-05,
  "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                   "original_max_position_embeddings": 8192, "rope_type": "llama3"},
  "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
  "transformers_version": "4.43.0.dev0", "use_cache": true, "vocab_size": 128256})";

ConfigFile JsonConfig(std::string path, std::string_view text) {
  ConfigFile file{std::move(path), Sha256::Of(text), ConfigFileKind::kJson, json::parse(text), std::nullopt};
  return file;
}

ConfigFile DigestOnly(std::string path, std::string_view text) {
  ConfigFile file = JsonConfig(std::move(path), text);
  file.json.reset();
  return file;
}

TEST(ConfigDiff, Llama3AgainstLlama31StandsOut) {
  ConfigDiff diff = DiffConfigs({JsonConfig("config.json", kLlama3)}, {JsonConfig("config.json", kLlama31)});
  ASSERT_EQ(diff.files.size(), 1u);
  const ConfigFileDifference& file = diff.files[0];
  EXPECT_EQ(file.path, "config.json");
  EXPECT_EQ(file.change, Change::kChanged);
  EXPECT_TRUE(file.keys_known);
  EXPECT_TRUE(diff.IdentityChanged());
  std::vector<std::string> keys, identity;
  for (const ConfigKeyDifference& key : file.keys) {
    keys.push_back(key.key + ":" + std::string(ChangeName(key.change)));
    if (key.identity) identity.push_back(key.key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"eos_token_id:changed", "max_position_embeddings:changed",
                                            "mlp_bias:added", "rope_scaling:changed",
                                            "transformers_version:changed"}));
  EXPECT_EQ(identity, (std::vector<std::string>{"eos_token_id", "max_position_embeddings", "rope_scaling"}));
  EXPECT_EQ(file.keys[1].before, 8192);
  EXPECT_EQ(file.keys[1].after, 131072);
  EXPECT_EQ(file.keys[0].after, json::parse("[128001, 128008, 128009]"));
  EXPECT_TRUE(file.keys[3].before.is_null());
  EXPECT_EQ(file.keys[3].after["rope_type"], "llama3");
}

TEST(ConfigDiff, NestedObjectsAreComparedKeyByKey) {
  ConfigDiff diff = DiffConfigs(
      {JsonConfig("config.json", R"({"rope_scaling": {"factor": 8, "rope_type": "llama3"}, "text_config": {"hidden_size": 64}})")},
      {JsonConfig("config.json", R"({"rope_scaling": {"factor": 32.0, "rope_type": "llama3"}, "text_config": {"hidden_size": 64, "x": 1}})")});
  ASSERT_EQ(diff.files.size(), 1u);
  ASSERT_EQ(diff.files[0].keys.size(), 2u);
  EXPECT_EQ(diff.files[0].keys[0].key, "rope_scaling.factor");
  EXPECT_TRUE(diff.files[0].keys[0].identity);
  EXPECT_EQ(diff.files[0].keys[1].key, "text_config.x");
  EXPECT_EQ(diff.files[0].keys[1].change, Change::kAdded);
  EXPECT_FALSE(diff.files[0].keys[1].identity);  // neither text_config nor x is an identity key
}

TEST(ConfigDiff, NumbersCompareByValueAndArraysAsAWhole) {
  std::vector<ConfigKeyDifference> keys =
      DiffJsonKeys(json::parse(R"({"rope_theta": 500000, "a": [1, 2], "b": {"c": 1}})"),
                   json::parse(R"({"rope_theta": 500000.0, "a": [2, 1], "b": 3})"));
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].key, "a");
  EXPECT_EQ(keys[1].key, "b");  // an object replaced by a number: one change, not a list of removals
  EXPECT_EQ(keys[1].change, Change::kChanged);
}

TEST(ConfigDiff, IdentityKeyPaths) {
  EXPECT_TRUE(IsIdentityKeyPath("rope_scaling"));
  EXPECT_TRUE(IsIdentityKeyPath("rope_scaling.factor"));
  EXPECT_TRUE(IsIdentityKeyPath("text_config.num_hidden_layers"));
  EXPECT_FALSE(IsIdentityKeyPath("rms_norm_eps"));
  EXPECT_FALSE(IsIdentityKeyPath("added_tokens_decoder.128001.content"));
  EXPECT_FALSE(IsIdentityKeyPath("hidden_size_x"));
  EXPECT_FALSE(IsIdentityKeyPath(""));
  EXPECT_EQ(IdentityConfigKeys().size(), 15u);
}

TEST(ConfigDiff, ARecordKnowsOnlyDigests) {
  ConfigDiff diff = DiffConfigs({DigestOnly("config.json", kLlama3)}, {JsonConfig("config.json", kLlama31)});
  ASSERT_EQ(diff.files.size(), 1u);
  EXPECT_FALSE(diff.files[0].keys_known);
  EXPECT_TRUE(diff.files[0].keys.empty());
  EXPECT_FALSE(diff.IdentityChanged());  // not known, so not claimed
  EXPECT_TRUE(DiffConfigs({DigestOnly("config.json", kLlama3)}, {JsonConfig("config.json", kLlama3)}).empty());
}

TEST(ConfigDiff, FilesAddedRemovedAndOpaque) {
  ConfigFile model_before{"tokenizer.model", Sha256::Of("a"), ConfigFileKind::kOpaque, std::nullopt, std::nullopt};
  ConfigFile model_after{"tokenizer.model", Sha256::Of("b"), ConfigFileKind::kOpaque, std::nullopt, std::nullopt};
  ConfigDiff diff = DiffConfigs({JsonConfig("generation_config.json", "{}"), model_before},
                                {model_after, JsonConfig("special_tokens_map.json", "{}")});
  ASSERT_EQ(diff.files.size(), 3u);
  EXPECT_EQ(diff.files[0].path, "generation_config.json");
  EXPECT_EQ(diff.files[0].change, Change::kRemoved);
  EXPECT_EQ(diff.files[1].path, "special_tokens_map.json");
  EXPECT_EQ(diff.files[1].change, Change::kAdded);
  EXPECT_EQ(diff.files[2].path, "tokenizer.model");
  EXPECT_EQ(diff.files[2].kind, ConfigFileKind::kOpaque);
  EXPECT_FALSE(diff.files[2].keys_known);
}

TEST(ConfigDiff, FileKinds) {
  EXPECT_EQ(ConfigFileKindOf("config.json"), ConfigFileKind::kJson);
  EXPECT_EQ(ConfigFileKindOf("sub/tokenizer_config.json"), ConfigFileKind::kJson);
  EXPECT_EQ(ConfigFileKindOf("tokenizer.json"), ConfigFileKind::kTokenizer);
  EXPECT_EQ(ConfigFileKindOf("chat_template.jinja"), ConfigFileKind::kOpaque);
}

TEST(ConfigDiff, TokenizerVocabularyAndAddedTokens) {
  const char before[] = R"({"added_tokens": [{"id": 3, "content": "<|reserved_0|>"}, {"id": 4, "content": "<|eot|>"}],
                            "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2}}})";
  const char after[] = R"({"added_tokens": [{"id": 3, "content": "<|eom|>"}, {"id": 4, "content": "<|eot|>"},
                                            {"id": 5, "content": "<|python_tag|>"}],
                           "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "d": 5}}})";
  Result<TokenizerSummary> old_summary = SummarizeTokenizer(before);
  Result<TokenizerSummary> new_summary = SummarizeTokenizer(after);
  ASSERT_TRUE(old_summary.ok() && new_summary.ok());
  EXPECT_EQ(old_summary->vocab_size, 3u);
  EXPECT_EQ(old_summary->added_tokens.size(), 2u);
  ConfigFile a{"tokenizer.json", Sha256::Of(before), ConfigFileKind::kTokenizer, std::nullopt, *old_summary};
  ConfigFile b{"tokenizer.json", Sha256::Of(after), ConfigFileKind::kTokenizer, std::nullopt, *new_summary};
  ConfigDiff diff = DiffConfigs({a}, {b});
  ASSERT_EQ(diff.files.size(), 1u);
  std::vector<std::string> keys;
  for (const ConfigKeyDifference& key : diff.files[0].keys) {
    keys.push_back(key.key + ":" + std::string(ChangeName(key.change)) + (key.identity ? "!" : ""));
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"added_tokens[3]:changed", "added_tokens[5]:added",
                                            "model.vocab (entries):changed!"}));
  // Unigram keeps [token, score] pairs.
  Result<TokenizerSummary> unigram = SummarizeTokenizer(R"({"model": {"type": "Unigram", "vocab": [["a", 0.0], ["b", -1.0]]}})");
  ASSERT_TRUE(unigram.ok());
  EXPECT_EQ(unigram->vocab_size, 2u);
  EXPECT_FALSE(SummarizeTokenizer("{\"model\": ").ok());
}

TEST(ConfigDiff, ReadsAFolderAndNamesBadJson) {
  testing::ScratchDir dir;
  dir.Write("config.json", kLlama3);
  dir.Write("tokenizer.json", R"({"model": {"vocab": {"a": 0}}})");
  dir.Write("chat_template.jinja", "{{ messages }}");
  dir.Write("model.safetensors", "not read");
  ModelManifest manifest;
  for (std::string path : {"chat_template.jinja", "config.json", "model.safetensors", "tokenizer.json"}) {
    FileRecord file;
    file.path = path;
    file.sha256 = Sha256::Of(testing::ReadFileOrDie(dir.path() / path));
    manifest.files.push_back(file);
  }
  Result<std::vector<ConfigFile>> files = ReadConfigFiles(LocalFileSystem(), dir.path().string(), manifest);
  ASSERT_TRUE(files.ok()) << files.status().message();
  ASSERT_EQ(files->size(), 3u);
  EXPECT_FALSE((*files)[0].content_known());  // the template is compared by digest
  EXPECT_EQ((*files)[1].json->at("vocab_size"), 128256);
  EXPECT_EQ((*files)[2].tokenizer->vocab_size, 1u);

  dir.Write("config.json", R"({"hidden_size": 64,})");
  manifest.files[1].sha256 = Sha256::Of(R"({"hidden_size": 64,})");
  Result<std::vector<ConfigFile>> bad = ReadConfigFiles(LocalFileSystem(), dir.path().string(), manifest);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().kind(), ErrorKind::kInvalidInput);
  const std::string message = bad.status().message();
  EXPECT_TRUE(message.starts_with((dir.path() / "config.json").string() + ": invalid JSON: parse error")) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);

  // A file that changed after it was hashed is not compared as if it had not.
  manifest.files[1].sha256 = Sha256::Of("something else");
  Result<std::vector<ConfigFile>> raced = ReadConfigFiles(LocalFileSystem(), dir.path().string(), manifest);
  ASSERT_FALSE(raced.ok());
  EXPECT_EQ(raced.status().kind(), ErrorKind::kIo);
}

}  // namespace
}  // namespace assay
