// What a tensor is for, read from its name, so that reports can speak of
// "self_attn.q_proj of all 80 layers" instead of listing 80 names.
//
// A name's first all-digit component is its layer number, what comes before
// it is the layer stack and what comes after (without a final "weight") is its
// role: "model.layers.7.self_attn.q_proj.weight" is role "self_attn.q_proj" of
// layer 7 of "model.layers"; GGUF's "blk.7.attn_q.weight" is role "attn_q" of
// layer 7 of "blk". Later numbers (MoE experts) become "*", so the experts of
// a layer share a role. A name without a number is its own role, less a final
// ".weight": "model.embed_tokens", "lm_head".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace assay {

struct TensorRole {
  std::string stack;  // "model.layers"; empty for a name without a layer
  std::optional<uint64_t> layer;
  std::string role;  // "self_attn.q_proj"

  bool operator<(const TensorRole& other) const;
};

TensorRole RoleOf(std::string_view tensor_name);

// Some tensors of one role: which layers they cover.
struct RoleSpan {
  std::string label;  // the role, or "STACK.N.ROLE" when two stacks share the role
  bool layered = false;
  std::vector<uint64_t> layers;  // ascending; empty when not layered
  bool all_layers = false;  // every layer in which the model has this role
  uint64_t tensors = 0;
};

// The roles of a model's tensors and the layers each occurs in: the universe
// that "all 80 layers" refers to. Not thread-safe while tensors are added.
class RoleIndex {
 public:
  void Add(std::string_view tensor_name);

  // `tensor_names` (tensors of the model) grouped by role, in the order each
  // role first appears in `tensor_names`.
  std::vector<RoleSpan> Group(const std::vector<std::string>& tensor_names) const;

  // The same in words: roles that cover the same layers share a clause, e.g.
  // "self_attn.q_proj and self_attn.v_proj of all 80 layers; lm_head and
  // model.norm". At most `max_clauses` clauses, then "and N more".
  std::string Describe(const std::vector<std::string>& tensor_names, size_t max_clauses = 8) const;

 private:
  std::string LabelOf(const TensorRole& role) const;

  std::map<std::string, std::set<std::string>> stacks_by_role_;
  std::map<std::pair<std::string, std::string>, std::set<uint64_t>> layers_by_role_;  // (stack, role)
};

// "a", "a and b", "a, b and c".
std::string JoinWithAnd(const std::vector<std::string>& items);

// "layer 3", "all 80 layers", "layers 0-9, 12 and 14-15".
std::string DescribeLayers(const RoleSpan& span);

}  // namespace assay
