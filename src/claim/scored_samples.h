// What scores are recomputed from, for every sample of a run, packed: each
// sample's id and numeric per-sample values, without its text. A million
// samples take tens of MiB here, where their records would take gigabytes,
// so a claim, its verification and a group's recomputation hold this and
// stream the rest (issue 13, "Sizes people run").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "evallog/eval_run.h"

namespace assay {

class ScoredSamples {
 public:
  void Add(std::string_view id, const std::map<std::string, double>& metrics);
  size_t size() const { return id_ends_.size(); }
  std::string_view id(size_t i) const;

  // Samples [begin, end) as EvalSamples holding their ids and metrics only,
  // for the score recomputation (claim/score_recompute.h), one task at a time.
  std::vector<EvalSample> Slice(size_t begin, size_t end) const;

 private:
  std::string ids_;                // every id, end to end
  std::vector<uint64_t> id_ends_;  // where each id ends in ids_
  std::vector<std::string> keys_;  // each metric key once
  std::unordered_map<std::string, uint32_t> key_index_;
  std::vector<std::pair<uint32_t, double>> values_;  // (key, value) of every sample, in order
  std::vector<uint64_t> value_ends_;                  // where each sample's end in values_
};

}  // namespace assay
