#include "model/forensics_summary.h"

#include <algorithm>
#include <map>

#include "model/tensor_role.h"

namespace assay {
namespace {

// The clauses of the sentence, in the order they are written.
struct Clause {
  TensorVerdict verdict;
  const char* text;  // followed by the roles
};
constexpr Clause kClauses[] = {
    {TensorVerdict::kLowRank, "B = A plus a low-rank update on "},
    {TensorVerdict::kFullRank, "full-rank change on "},
    {TensorVerdict::kVectorChanged, "changed vectors: "},
    {TensorVerdict::kRounding, "differences within rounding noise only on "},
    {TensorVerdict::kSameValues, "equal values in other bytes (another dtype) on "},
    {TensorVerdict::kShapeChanged, "shape changed on "},
    {TensorVerdict::kOnlyInA, "only in A: "},
    {TensorVerdict::kOnlyInB, "only in B: "},
    {TensorVerdict::kNotDecoded, "not compared (dtype not decoded): "},
};

bool IsEmbedding(const std::string& name) { return RoleOf(name).role.find("embed") != std::string::npos; }
bool IsNorm(const std::string& name) { return RoleOf(name).role.find("norm") != std::string::npos; }

// "embeddings, norms and all other tensors identical": embeddings (norms)
// are named when there are some and all are identical; "all other tensors"
// covers the remaining identical ones (every changed tensor has its own clause).
std::string IdenticalClause(const ForensicsReport& report) {
  struct Category {
    bool any = false;
    bool all_identical = true;
    bool named() const { return any && all_identical; }
  };
  Category embeddings, norms;
  for (const TensorForensics& tensor : report.tensors) {
    Category* category = IsEmbedding(tensor.name) ? &embeddings : IsNorm(tensor.name) ? &norms : nullptr;
    if (category == nullptr) continue;
    category->any = true;
    category->all_identical &= tensor.verdict == TensorVerdict::kIdentical;
  }
  const bool others = std::any_of(report.tensors.begin(), report.tensors.end(), [&](const TensorForensics& tensor) {
    return tensor.verdict == TensorVerdict::kIdentical && !(IsEmbedding(tensor.name) && embeddings.named()) &&
           !(IsNorm(tensor.name) && norms.named());
  });
  std::vector<std::string> words;
  if (embeddings.named()) words.push_back("embeddings");
  if (norms.named()) words.push_back("norms");
  if (others) words.push_back("all other tensors");
  return JoinWithAnd(words) + " identical";
}

std::string OverallVerdict(const std::map<TensorVerdict, ForensicsGroup>& groups) {
  auto has = [&](TensorVerdict verdict) { return groups.contains(verdict); };
  if (has(TensorVerdict::kFullRank)) return "full-rank";
  if (has(TensorVerdict::kLowRank)) return "low-rank";
  for (TensorVerdict verdict : {TensorVerdict::kVectorChanged, TensorVerdict::kShapeChanged, TensorVerdict::kOnlyInA,
                                TensorVerdict::kOnlyInB, TensorVerdict::kNotDecoded}) {
    if (has(verdict)) return "changed";
  }
  if (has(TensorVerdict::kRounding)) return "rounding";
  if (has(TensorVerdict::kSameValues)) return "same-values";
  return "identical";
}

}  // namespace

ForensicsSummary SummarizeForensics(const ForensicsReport& report) {
  RoleIndex roles;
  for (const TensorForensics& tensor : report.tensors) roles.Add(tensor.name);
  std::map<TensorVerdict, ForensicsGroup> groups;
  for (const TensorForensics& tensor : report.tensors) {
    ForensicsGroup& group = groups[tensor.verdict];
    group.verdict = tensor.verdict;
    group.tensors.push_back(tensor.name);
    if (tensor.verdict == TensorVerdict::kLowRank) group.max_rank = std::max(group.max_rank, tensor.rank.rank);
  }
  ForensicsSummary summary;
  for (auto& [verdict, group] : groups) {
    group.roles = roles.Describe(group.tensors);
    summary.groups.push_back(group);
  }
  summary.verdict = OverallVerdict(groups);

  if (report.tensors.empty()) {
    summary.sentence = "no tensors to compare";
    return summary;
  }
  if (summary.verdict == "identical") {
    summary.sentence = "identical weights: all " + std::to_string(report.tensors.size()) +
                       " tensors are byte-identical";
    return summary;
  }
  std::vector<std::string> clauses;
  for (const Clause& clause : kClauses) {
    auto group = groups.find(clause.verdict);
    if (group == groups.end()) continue;
    std::string text = clause.text + group->second.roles;
    if (clause.verdict == TensorVerdict::kLowRank) {
      text += ", rank <= " + std::to_string(group->second.max_rank) + " (LoRA-like)";
    }
    clauses.push_back(text);
  }
  if (groups.contains(TensorVerdict::kIdentical)) clauses.push_back(IdenticalClause(report));
  for (size_t i = 0; i < clauses.size(); ++i) summary.sentence += (i > 0 ? "; " : "") + clauses[i];
  return summary;
}

}  // namespace assay
