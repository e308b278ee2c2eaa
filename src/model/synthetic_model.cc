#include "model/synthetic_model.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "formats/tensor_entry.h"

namespace assay {
namespace {

using nlohmann::json;

std::string ShardName(uint64_t index, uint64_t count) {
  if (count == 1) return "model.safetensors";
  char name[64];
  std::snprintf(name, sizeof name, "model-%05llu-of-%05llu.safetensors",
                static_cast<unsigned long long>(index + 1), static_cast<unsigned long long>(count));
  return name;
}

// Fills `out` with BF16 values of small magnitude (as trained weights are),
// from a xorshift generator seeded by the tensor's name and the model seed.
void FillBf16(std::vector<char>& out, const std::string& name, uint64_t seed) {
  uint64_t state = seed * 0x9E3779B97F4A7C15ull ^ std::hash<std::string>()(name) ^ 0xD1B54A32D192ED03ull;
  for (size_t i = 0; i + 1 < out.size(); i += 2) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    // sign, exponent 0x78..0x7B (about 2^-7..2^-4), 7 random mantissa bits
    uint16_t value = static_cast<uint16_t>((state & 0x8000) | ((0x78 + (state >> 16 & 3)) << 7) |
                                           (state >> 24 & 0x7F));
    out[i] = static_cast<char>(value & 0xFF);
    out[i + 1] = static_cast<char>(value >> 8);
  }
}

Status IoFailure(const std::string& path) {
  return Status::IoError(path + ": cannot write (" + std::strerror(errno) + ")");
}

Status WriteShard(const std::string& path, const std::vector<const SyntheticTensor*>& tensors,
                  const SyntheticModelSpec& spec) {
  json header = {{"__metadata__", {{"format", "pt"}}}};
  uint64_t offset = 0;
  for (const SyntheticTensor* tensor : tensors) {
    uint64_t size = ElementCount(tensor->shape) * 2;
    header[tensor->name] = {{"dtype", "BF16"}, {"shape", tensor->shape}, {"data_offsets", {offset, offset + size}}};
    offset += size;
  }
  std::string header_text = header.dump();
  header_text.append((8 - header_text.size() % 8) % 8, ' ');  // writers pad to 8 bytes
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  uint64_t length = header_text.size();
  char prefix[8];
  for (int i = 0; i < 8; ++i) prefix[i] = static_cast<char>(length >> (8 * i));
  out.write(prefix, 8);
  out.write(header_text.data(), static_cast<std::streamsize>(header_text.size()));
  std::vector<char> bytes;
  for (const SyntheticTensor* tensor : tensors) {
    bytes.resize(ElementCount(tensor->shape) * 2);
    bool changed = std::find(spec.changed_tensors.begin(), spec.changed_tensors.end(), tensor->name) !=
                   spec.changed_tensors.end();
    FillBf16(bytes, tensor->name, changed ? spec.seed + 1000003 : spec.seed);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  out.close();
  return out ? Status::Ok() : IoFailure(path);
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return out ? Status::Ok() : IoFailure(path);
}

}  // namespace

SyntheticModelSpec BenchmarkModelSpec() {
  SyntheticModelSpec spec;
  spec.vocab = 32000;
  spec.hidden = 2048;
  spec.kv_hidden = 512;
  spec.intermediate = 5632;
  spec.layers = 20;
  spec.shards = 4;
  return spec;
}

std::vector<SyntheticTensor> SyntheticTensors(const SyntheticModelSpec& spec) {
  const uint64_t h = spec.hidden, kv = spec.kv_hidden, i = spec.intermediate;
  std::vector<SyntheticTensor> tensors = {{"model.embed_tokens.weight", {spec.vocab, h}}};
  for (uint64_t layer = 0; layer < spec.layers; ++layer) {
    std::string prefix = "model.layers." + std::to_string(layer) + ".";
    tensors.push_back({prefix + "input_layernorm.weight", {h}});
    tensors.push_back({prefix + "self_attn.q_proj.weight", {h, h}});
    tensors.push_back({prefix + "self_attn.k_proj.weight", {kv, h}});
    tensors.push_back({prefix + "self_attn.v_proj.weight", {kv, h}});
    tensors.push_back({prefix + "self_attn.o_proj.weight", {h, h}});
    tensors.push_back({prefix + "post_attention_layernorm.weight", {h}});
    tensors.push_back({prefix + "mlp.gate_proj.weight", {i, h}});
    tensors.push_back({prefix + "mlp.up_proj.weight", {i, h}});
    tensors.push_back({prefix + "mlp.down_proj.weight", {h, i}});
  }
  tensors.push_back({"model.norm.weight", {h}});
  tensors.push_back({"lm_head.weight", {spec.vocab, h}});
  return tensors;
}

Status WriteSyntheticModel(const std::string& folder, const SyntheticModelSpec& spec) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) return Status::IoError(folder + ": " + error.message());
  std::vector<SyntheticTensor> tensors = SyntheticTensors(spec);
  uint64_t total = 0;
  for (const SyntheticTensor& tensor : tensors) total += ElementCount(tensor.shape) * 2;

  // Consecutive tensors fill each shard up to an equal share of the bytes.
  std::vector<std::vector<const SyntheticTensor*>> shards(std::max<uint64_t>(1, spec.shards));
  json weight_map = json::object();
  uint64_t written = 0;
  for (const SyntheticTensor& tensor : tensors) {
    size_t shard = std::min<size_t>(shards.size() - 1, written * shards.size() / total);
    shards[shard].push_back(&tensor);
    weight_map[tensor.name] = ShardName(shard, shards.size());
    written += ElementCount(tensor.shape) * 2;
  }
  for (size_t s = 0; s < shards.size(); ++s) {
    ASSAY_RETURN_IF_ERROR(WriteShard(folder + "/" + ShardName(s, shards.size()), shards[s], spec));
  }
  if (shards.size() > 1) {
    json index = {{"metadata", {{"total_size", total}}}, {"weight_map", weight_map}};
    ASSAY_RETURN_IF_ERROR(WriteText(folder + "/model.safetensors.index.json", index.dump(2) + "\n"));
  }
  json config = {{"architectures", {"LlamaForCausalLM"}},
                 {"model_type", spec.model_type},
                 {"hidden_size", spec.hidden},
                 {"intermediate_size", spec.intermediate},
                 {"num_hidden_layers", spec.layers},
                 {"num_attention_heads", std::max<uint64_t>(1, spec.hidden / 64)},
                 {"num_key_value_heads", std::max<uint64_t>(1, spec.kv_hidden / 64)},
                 {"vocab_size", spec.vocab},
                 {"max_position_embeddings", 8192},
                 {"rope_theta", 500000.0},
                 {"torch_dtype", "bfloat16"},
                 {"bos_token_id", 1},
                 {"eos_token_id", 2}};
  return WriteText(folder + "/config.json", config.dump(2) + "\n");
}

}  // namespace assay
