#include "render/observe_render.h"

#include <nlohmann/json.hpp>

#include "render/text.h"

namespace assay {
namespace {

std::string FirstLine(const std::string& message) { return message.substr(0, message.find('\n')); }

size_t PointerCount(const Observation& observation) {
  size_t pointers = 0;
  for (const ObservedFile& file : observation.files) pointers += file.lfs_oid.has_value();
  return pointers;
}

}  // namespace

std::string RenderText(const ObserveOutcome& outcome) {
  std::string text = Format("source     %s\n", outcome.source);
  text += Format("head       %s (%zu %s reachable, %zu observed before)\n", outcome.head, outcome.reachable,
                 outcome.reachable == 1 ? "revision" : "revisions", outcome.observed_before);
  for (const MissingRevision& gone : outcome.gone) {
    text += Format("history rewritten: revision %s, observed at %s, is gone\n", gone.commit, gone.observed_at);
  }
  for (const ObservedRevision& one : outcome.observed) {
    const Observation& observation = one.observation;
    text += Format("observed   %s %s %s, %s: %s\n", observation.commit.substr(0, 12), observation.time,
                   Plural(observation.files.size(), "file"), Plural(PointerCount(observation), "LFS pointer"),
                   FirstLine(observation.message));
    text += Format("  record   %s\n", one.published.id);
  }
  if (outcome.observed.empty()) text += "nothing new: every revision reachable from the head was observed before\n";
  return text;
}

std::string RenderJson(const ObserveOutcome& outcome) {
  nlohmann::json observed = nlohmann::json::array();
  for (const ObservedRevision& one : outcome.observed) {
    observed.push_back({{"commit", one.observation.commit},
                        {"time", one.observation.time},
                        {"files", one.observation.files.size()},
                        {"lfsPointers", PointerCount(one.observation)},
                        {"missingRevisions", one.observation.missing_revisions.size()},
                        {"record", one.published.id}});
  }
  nlohmann::json gone = nlohmann::json::array();
  for (const MissingRevision& one : outcome.gone) {
    gone.push_back({{"commit", one.commit}, {"observedAt", one.observed_at}, {"record", one.record}});
  }
  const nlohmann::json out = {{"source", outcome.source},
                              {"head", outcome.head},
                              {"reachable", outcome.reachable},
                              {"observedBefore", outcome.observed_before},
                              {"observed", std::move(observed)},
                              {"gone", std::move(gone)}};
  return out.dump(2) + "\n";
}

}  // namespace assay
