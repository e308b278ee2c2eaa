// The forensics report in a sentence an auditor can act on, with the tensors
// grouped by role across layers (tensor_role.h), for example:
//   "B = A plus a low-rank update on self_attn.q_proj and self_attn.v_proj of
//    all 80 layers, rank <= 16 (LoRA-like); embeddings, norms and all other
//    tensors identical"
// docs/forensics.md lists every clause.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/forensics.h"

namespace assay {

// The tensors of one verdict.
struct ForensicsGroup {
  TensorVerdict verdict = TensorVerdict::kIdentical;
  std::vector<std::string> tensors;  // names, in report order
  std::string roles;                 // the tensors by role: "self_attn.q_proj of all 80 layers"
  uint64_t max_rank = 0;             // kLowRank: the largest rank found among them
};

struct ForensicsSummary {
  // The overall finding, the strongest present: "full-rank", "low-rank",
  // "changed" (vectors, shapes, tensors only on one side, or not decoded),
  // "rounding", "same-values" or "identical".
  std::string verdict;
  std::string sentence;
  std::vector<ForensicsGroup> groups;  // one per verdict present, in TensorVerdict order
};

ForensicsSummary SummarizeForensics(const ForensicsReport& report);

}  // namespace assay
