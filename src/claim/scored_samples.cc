#include "claim/scored_samples.h"

#include <algorithm>

namespace assay {

Status ScoredSamples::Add(const EvalSample& sample) {
  if (ids_.size() + sample.id.size() > UINT32_MAX || values_.size() + sample.metrics.size() > UINT32_MAX) {
    return Status::InvalidInput("more samples than assay holds the scores of (4 GiB of ids or 4 Gi values)");
  }
  ids_.append(sample.id);
  id_ends_.push_back(static_cast<uint32_t>(ids_.size()));
  if (with_digests_) {
    std::array<DigestPrefix, 2>& digests = digests_.emplace_back();
    uint8_t& has = has_digests_.emplace_back(0);
    for (int side = 0; side < 2; ++side) {
      const std::optional<Sha256Digest> digest = Sha256FromHex(side == 0 ? sample.input_digest : sample.output_digest);
      if (!digest) continue;
      std::copy_n(digest->begin(), digests[side].size(), digests[side].begin());
      has |= static_cast<uint8_t>(1 << side);
    }
  }
  for (const auto& [key, value] : sample.metrics) {
    auto [it, added] = key_index_.try_emplace(key, static_cast<uint32_t>(keys_.size()));
    if (added) keys_.push_back(key);
    value_keys_.push_back(it->second);
    values_.push_back(value);
  }
  value_ends_.push_back(static_cast<uint32_t>(values_.size()));
  return Status::Ok();
}

std::string_view ScoredSamples::id(size_t i) const {
  const uint32_t begin = i == 0 ? 0 : id_ends_[i - 1];
  return std::string_view(ids_).substr(begin, id_ends_[i] - begin);
}

std::vector<EvalSample> ScoredSamples::Slice(size_t begin, size_t end) const {
  std::vector<EvalSample> samples(end - begin);
  for (size_t i = begin; i < end; ++i) {
    EvalSample& sample = samples[i - begin];
    sample.id = id(i);
    if (with_digests_) {
      if (has_digests_[i] & 1) sample.input_digest = ToHex(digests_[i][0]);
      if (has_digests_[i] & 2) sample.output_digest = ToHex(digests_[i][1]);
    }
    for (uint32_t v = i == 0 ? 0 : value_ends_[i - 1]; v < value_ends_[i]; ++v) {
      sample.metrics.emplace(keys_[value_keys_[v]], values_[v]);
    }
  }
  return samples;
}

}  // namespace assay
