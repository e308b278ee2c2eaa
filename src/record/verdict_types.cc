#include "record/verdict_types.h"

#include <array>

namespace assay {
namespace {

constexpr std::array<std::string_view, 5> kKindNames = {"reproduced", "not reproduced", "inconclusive",
                                                        "different weights", "not comparable"};
constexpr std::array<std::string_view, 3> kTierNames = {"identical outputs", "same inputs", "aggregates only"};

}  // namespace

std::string ConfigDifference::Describe() const {
  return (task.empty() ? "" : task + ": ") + field + " " + claimed + " vs " + reproduced;
}

std::string_view VerdictKindName(VerdictKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::optional<VerdictKind> ParseVerdictKind(std::string_view name) {
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<VerdictKind>(i);
  }
  return std::nullopt;
}

std::string_view EvidenceTierName(EvidenceTier tier) { return kTierNames[static_cast<size_t>(tier)]; }

std::optional<EvidenceTier> ParseEvidenceTier(std::string_view name) {
  for (size_t i = 0; i < kTierNames.size(); ++i) {
    if (kTierNames[i] == name) return static_cast<EvidenceTier>(i);
  }
  return std::nullopt;
}

}  // namespace assay
