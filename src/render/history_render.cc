#include "render/history_render.h"

#include <nlohmann/json.hpp>

#include "joined.h"
#include "render/config_render.h"
#include "render/revocation_render.h"
#include "render/text.h"
#include "utc_time.h"

namespace assay {
namespace {

std::string Changes(const std::vector<FileChange>& changes) {
  std::vector<std::string> parts;
  for (const FileChange& change : changes) parts.push_back(change.path + " " + change.change);
  return Joined(parts, ", ");
}

std::string NotCounted(const std::string& problem) { return problem.empty() ? "" : " (NOT COUNTED: " + problem + ")"; }

// "; in the ledger by T, witnessed by W": a time someone other than the signer vouches for.
std::string WitnessedText(const std::optional<WitnessedCheckpoint>& witnessed) {
  return witnessed ? "; in the ledger by " + FormatUtcTime(witnessed->time) + ", witnessed by " + witnessed->witness : "";
}

nlohmann::json WitnessedJson(const std::optional<WitnessedCheckpoint>& witnessed) {
  if (!witnessed) return nullptr;
  return {{"witness", witnessed->witness}, {"time", FormatUtcTime(witnessed->time)}};
}

std::string RevisionText(const HistoryRevision& revision, const ModelHistory& history) {
  const auto withdrawn = [&history](const std::string& record) { return WithdrawnText(history.WithdrawalOf(record)); };
  std::string text;
  if (revision.commit.empty()) {
    text += Format("revision %s: not an observed revision, and no observed revision has its weights\n", revision.label);
  } else {
    text += Format("%s  %s  %s\n", revision.time, revision.commit.substr(0, 12), revision.subject);
    text += Format("  time       %s as committed: asserted by whoever pushed it\n", revision.time);
  }
  for (const RevisionObserver& observer : revision.observers) {
    text += Format("  observed   by %s at %s (asserted by %s%s)%s%s\n", observer.name, observer.observed_at, observer.name,
                   WitnessedText(observer.witnessed), NotCounted(observer.problem), withdrawn(observer.record));
  }
  if (!revision.commit.empty()) {
    if (revision.first) {
      text += Format("  weights    %s\n", revision.weight_changes.empty() ? "none in LFS" : Changes(revision.weight_changes));
    } else {
      text += Format("  weights    %s\n", revision.weight_changes.empty() ? "no weight change" : Changes(revision.weight_changes));
      if (!revision.file_changes.empty()) text += Format("  files      %s\n", Changes(revision.file_changes));
      for (const ConfigFileDifference& file : revision.config_changes.files) text += Indented(ConfigFileText(file), 2);
    }
  }
  for (const BytesCheck& check : revision.hashed) {
    const std::string how = check.by_digests ? ", matched by its weight digests" : "";
    if (check.mismatches.empty()) {
      text += Format("  bytes      verified by %s (model record %s%s%s)%s%s\n", check.signer, check.record.substr(0, 16), how,
                     WitnessedText(check.witnessed), NotCounted(check.problem), withdrawn(check.record));
    } else {
      text += Format("  bytes      %s MISMATCH (model record %s by %s): %s%s%s\n", check.pointers_differ ? "POINTER" : "FILE",
                     check.record.substr(0, 16), check.signer, Joined(check.mismatches, "; "), NotCounted(check.problem),
                     withdrawn(check.record));
    }
  }
  if (!revision.commit.empty() && revision.hashed.empty()) text += "  bytes      not hashed by anyone: the pointers are only what the Hub asserts\n";
  const auto claim_text = [&](const RevisionClaim& claim) {
    std::string line = Format("  %-10s %s%s%s\n", claim.kind, claim.record.substr(0, 16),
                              claim.benchmark.empty() ? "" : " " + claim.benchmark, withdrawn(claim.record));
    if (claim.endpoint.empty()) return line;
    return line + Format("             run on %s at %s (asserted by its log),\n"
                         "             while deployment %s served these weights\n",
                         claim.endpoint, claim.run_started, claim.served_under.substr(0, 16));
  };
  for (const RevisionClaim& claim : revision.claims) {
    if (claim.endpoint.empty()) text += claim_text(claim);
  }
  for (const RevisionDeployment& deployment : revision.deployments) {
    text += Format("  deployed   %s from %s%s (asserted by host %s, record %s%s)%s%s\n", deployment.endpoint, deployment.from,
                   deployment.ended.empty() ? ", still serving" : " until " + deployment.ended, deployment.host,
                   deployment.record.substr(0, 16), WitnessedText(deployment.witnessed), NotCounted(deployment.problem),
                   withdrawn(deployment.record));
  }
  for (const RevisionClaim& claim : revision.claims) {  // the runs those deployments answered
    if (!claim.endpoint.empty()) text += claim_text(claim);
  }
  if (revision.gone) {
    text += Format("  gone       no longer in the history: rewritten (said by %s at %s)%s\n", revision.gone->name,
                   revision.gone->observed_at, NotCounted(revision.gone->problem));
  }
  return text;
}

nlohmann::json ObserverJson(const RevisionObserver& observer) {
  nlohmann::json out = {{"name", observer.name},
                        {"observedAt", observer.observed_at},
                        {"record", observer.record},
                        {"witnessed", WitnessedJson(observer.witnessed)}};
  if (!observer.problem.empty()) out["problem"] = observer.problem;
  return out;
}

nlohmann::json ChangesJson(const std::vector<FileChange>& changes) {
  nlohmann::json out = nlohmann::json::array();
  for (const FileChange& change : changes) out.push_back({{"path", change.path}, {"change", change.change}});
  return out;
}

}  // namespace

std::string RenderText(const ModelHistory& history) {
  std::string text = Format("history    %s%s: %zu revisions\n", history.model.empty() ? history.source : history.model,
                            history.model.empty() ? "" : " (" + history.source + ")", history.revisions.size());
  if (history.revisions.empty()) text += "nothing known: no observation or model record names it ('assay observe CHECKOUT')\n";
  for (const HistoryRevision& revision : history.revisions) text += RevisionText(revision, history);
  return text;
}

std::string RenderJson(const ModelHistory& history) {
  nlohmann::json revisions = nlohmann::json::array();
  for (const HistoryRevision& revision : history.revisions) {
    nlohmann::json observers = nlohmann::json::array();
    for (const RevisionObserver& observer : revision.observers) observers.push_back(ObserverJson(observer));
    nlohmann::json hashed = nlohmann::json::array();
    for (const BytesCheck& check : revision.hashed) {
      nlohmann::json one = {{"record", check.record}, {"signer", check.signer}, {"byDigests", check.by_digests},
                            {"verified", check.mismatches.empty()}, {"mismatches", check.mismatches},
                            {"pointersDiffer", check.pointers_differ}, {"witnessed", WitnessedJson(check.witnessed)}};
      if (!check.problem.empty()) one["problem"] = check.problem;
      hashed.push_back(std::move(one));
    }
    nlohmann::json claims = nlohmann::json::array();
    for (const RevisionClaim& claim : revision.claims) {
      nlohmann::json entry = {{"record", claim.record}, {"kind", claim.kind}, {"benchmark", claim.benchmark}};
      if (!claim.endpoint.empty()) {
        entry["endpoint"] = claim.endpoint;
        entry["runStarted"] = claim.run_started;
        entry["servedUnder"] = claim.served_under;
      }
      claims.push_back(std::move(entry));
    }
    nlohmann::json deployments = nlohmann::json::array();
    for (const RevisionDeployment& deployment : revision.deployments) {
      nlohmann::json entry = {{"record", deployment.record}, {"endpoint", deployment.endpoint}, {"host", deployment.host},
                              {"from", deployment.from}, {"until", deployment.ended.empty() ? nlohmann::json() : nlohmann::json(deployment.ended)},
                              {"witnessed", WitnessedJson(deployment.witnessed)}};
      if (!deployment.problem.empty()) entry["problem"] = deployment.problem;
      deployments.push_back(std::move(entry));
    }
    nlohmann::json one = {{"commit", revision.commit},     {"label", revision.label},
                          {"time", revision.time},         {"author", revision.author},
                          {"subject", revision.subject},   {"observers", std::move(observers)},
                          {"first", revision.first},       {"weightChanges", ChangesJson(revision.weight_changes)},
                          {"fileChanges", ChangesJson(revision.file_changes)},
                          {"configChanges", ConfigDiffJson(revision.config_changes)}, {"hashed", std::move(hashed)},
                          {"claims", std::move(claims)},   {"deployments", std::move(deployments)},
                          {"gone", nullptr}};
    if (revision.gone) one["gone"] = ObserverJson(*revision.gone);
    revisions.push_back(std::move(one));
  }
  nlohmann::json withdrawn = nlohmann::json::array();
  for (const JudgedRevocation& one : history.withdrawn) {
    nlohmann::json entry = WithdrawnJson(&one);
    entry["record"] = one.revocation.record;
    withdrawn.push_back(std::move(entry));
  }
  const nlohmann::json out = {{"model", history.model},
                              {"source", history.source},
                              {"revisions", std::move(revisions)},
                              {"withdrawn", std::move(withdrawn)}};
  return out.dump(2) + "\n";
}

}  // namespace assay
