#include "ops/observe_ops.h"

#include <algorithm>
#include <map>
#include <set>

#include "ledger/hub_history.h"
#include "record/in_toto.h"
#include "record/model_statement.h"
#include "record/record_check.h"
#include "sign/minisign_key.h"
#include "utc_time.h"
#include "utf8.h"

namespace assay {
namespace {

// What this observer recorded of a source before.
struct PastObservations {
  std::map<std::string, MissingRevision> seen;  // by commit: when, and the record
  std::set<std::string> reported_missing;       // commits a past observation already lists as gone
};

Result<PastObservations> ReadPastObservations(Context& context, Ledger& ledger, const TrustFile& trust,
                                              const MinisignSecretKey& key, const std::string& source) {
  RecordPolicy policy;
  policy.required_role = TrustRole::kObserver;
  policy.now_unix_seconds = context.NowUnixSeconds();
  policy.allowed_untrusted_keys = {key.public_key().key};
  PastObservations past;
  ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> entries,
                         ledger.index().RecordsOfPredicateType(kObservationPredicateType));
  for (const RecordEntry& entry : entries) {
    ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger.FindRecord(entry.id));
    Result<CheckedRecord> checked = CheckRecord(found.envelope, trust, policy);
    if (!checked.ok() || !checked->counts()) continue;
    const bool mine = std::any_of(checked->signers.begin(), checked->signers.end(),
                                  [&](const RecordSigner& signer) { return signer.key == key.public_key().key; });
    if (!mine) continue;
    Result<Observation> observation = ParseObservationStatement(checked->payload);
    if (!observation.ok() || observation->source != source) continue;
    past.seen.try_emplace(observation->commit, MissingRevision{observation->commit, observation->observed_at, checked->id});
    for (const MissingRevision& gone : observation->missing_revisions) past.reported_missing.insert(gone.commit);
  }
  return past;
}

Observation ObservationOf(const HubRevision& revision, const std::string& source, const std::string& observer,
                          const std::string& observed_at) {
  Observation observation;
  observation.source = source;
  observation.observer = observer;
  observation.observed_at = observed_at;
  observation.commit = revision.commit;
  observation.parents = revision.parents;
  observation.time = FormatUtcTime(revision.time);
  observation.author = revision.author;
  observation.message = revision.message;
  observation.message_truncated = revision.message_truncated;
  observation.files = revision.files;
  return observation;
}

Result<std::string> SourceOf(const ObserveRequest& request, const HubHistory& history) {
  if (!request.source.empty()) {
    if (!IsValidUtf8(request.source) ||
        std::any_of(request.source.begin(), request.source.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t'; })) {
      return Status::InvalidInput("--source '" + request.source + "': expected hf:ORG/NAME or a URL, without spaces");
    }
    return request.source;
  }
  if (history.origin_url.empty()) {
    return Status::InvalidInput(request.checkout + ": no remote 'origin' names the repository")
        .WithHint("name it: --source hf:ORG/NAME");
  }
  return HubSourceOfUrl(history.origin_url);
}

}  // namespace

Result<ObserveOutcome> Observe(Context& context, const ObserveRequest& request) {
  std::unique_ptr<ProgressSink> reading = context.output.ProgressOf("reading", "revisions", 0);
  ASSAY_ASSIGN_OR_RETURN(HubHistory history, ReadHubHistory(request.checkout, request.rev, reading.get()));
  reading.reset();
  ObserveOutcome outcome;
  ASSAY_ASSIGN_OR_RETURN(outcome.source, SourceOf(request, history));
  outcome.head = history.head;
  outcome.reachable = history.revisions.size();
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  const TrustEntry* entry = trust.Find(key->public_key().key);
  if (entry == nullptr || !entry->HasRole(TrustRole::kObserver)) {
    context.output.Warn("your key is not an observer in the trust file: others will not count these observations "
                        "until it is ('assay trust add NAME KEY.pub --role observer')");
  }
  const std::string observer = entry != nullptr ? entry->name : FormatMinisignKeyId(key->key_id());
  ASSAY_ASSIGN_OR_RETURN(PastObservations past, ReadPastObservations(context, *ledger, trust, *key, outcome.source));

  std::set<std::string> reachable;
  for (const HubRevision& revision : history.revisions) reachable.insert(revision.commit);
  for (const auto& [commit, seen] : past.seen) {
    if (reachable.contains(commit)) {
      ++outcome.observed_before;
    } else if (!past.reported_missing.contains(commit)) {
      outcome.gone.push_back(seen);
    }
  }
  std::sort(outcome.gone.begin(), outcome.gone.end(), [](const MissingRevision& a, const MissingRevision& b) {
    return std::tie(a.observed_at, a.commit) < std::tie(b.observed_at, b.commit);
  });

  const std::string now = FormatUtcTime(context.NowUnixSeconds());
  std::vector<Observation> observations;
  for (const HubRevision& revision : history.revisions) {
    const bool head = revision.commit == history.head;
    // The head is observed again when the history lost revisions since.
    if (past.seen.contains(revision.commit) && !(head && !outcome.gone.empty())) continue;
    observations.push_back(ObservationOf(revision, outcome.source, observer, now));
    if (head) observations.back().missing_revisions = outcome.gone;
  }
  if (observations.empty()) return outcome;
  std::vector<std::string> statements;
  for (const Observation& observation : observations) {
    ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(ObservationStatement(observation)));
    statements.push_back(std::move(statement));
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<PublishedRecord> published,
                         PublishAll(context, statements, PublishOptions{key, /*append=*/true, ""},
                                    std::vector<std::vector<OutputFile>>(statements.size())));
  for (size_t i = 0; i < observations.size(); ++i) {
    outcome.observed.push_back({std::move(observations[i]), std::move(published[i])});
  }
  return outcome;
}

}  // namespace assay
