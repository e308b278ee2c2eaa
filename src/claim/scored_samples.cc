#include "claim/scored_samples.h"

namespace assay {

void ScoredSamples::Add(std::string_view id, const std::map<std::string, double>& metrics) {
  ids_.append(id);
  id_ends_.push_back(ids_.size());
  for (const auto& [key, value] : metrics) {
    auto [it, added] = key_index_.try_emplace(key, static_cast<uint32_t>(keys_.size()));
    if (added) keys_.push_back(key);
    values_.emplace_back(it->second, value);
  }
  value_ends_.push_back(values_.size());
}

std::string_view ScoredSamples::id(size_t i) const {
  const uint64_t begin = i == 0 ? 0 : id_ends_[i - 1];
  return std::string_view(ids_).substr(begin, id_ends_[i] - begin);
}

std::vector<EvalSample> ScoredSamples::Slice(size_t begin, size_t end) const {
  std::vector<EvalSample> samples(end - begin);
  for (size_t i = begin; i < end; ++i) {
    EvalSample& sample = samples[i - begin];
    sample.id = id(i);
    for (uint64_t v = i == 0 ? 0 : value_ends_[i - 1]; v < value_ends_[i]; ++v) {
      sample.metrics.emplace(keys_[values_[v].first], values_[v].second);
    }
  }
  return samples;
}

}  // namespace assay
