#include "ops/report_ops.h"

#include <algorithm>
#include <set>

#include "digest/merkle.h"
#include "ledger/ledger_checkpoint.h"
#include "ops/publish.h"
#include "ops/signed_claim.h"
#include "record/in_toto.h"
#include "record/model_statement.h"
#include "utc_time.h"

namespace assay {
namespace {

// The word a reader knows the record by.
std::string KindOf(std::string_view predicate_type) {
  if (predicate_type == kModelPredicateType) return "model record";
  if (IsClaimPredicateType(predicate_type)) return "claim";
  if (IsReproductionPredicateType(predicate_type)) return "reproduction";
  if (predicate_type == kObservationPredicateType) return "observation";
  if (predicate_type == kDeploymentPredicateType) return "deployment";
  if (predicate_type == kComparisonPredicateType) return "comparison";
  if (predicate_type == kPlanPredicateType) return "plan";
  if (predicate_type == kRevocationPredicateType) return "revocation";
  return "record";
}

// Every record id the status and the history name.
std::set<std::string> NamedRecords(const ModelStatus& status, const ModelHistory& history) {
  std::set<std::string> ids = {status.model.record->id};
  for (const Upload& upload : status.same_weights) ids.insert(upload.record_id);
  for (const Upload& upload : status.different_weights) ids.insert(upload.record_id);
  auto add_claim = [&ids](const SignedClaim& claim) {
    ids.insert(claim.record.id);
    for (const SignedReproduction& reproduction : claim.reproductions) ids.insert(reproduction.record.id);
  };
  for (const SignedClaim& claim : status.claims) add_claim(claim);
  for (const ServedClaim& served : status.endpoint_claims) add_claim(served.claim);
  for (const JudgedDeployment& one : status.deployments) ids.insert(one.record);
  for (const JudgedComparison& one : status.comparisons) ids.insert(one.record);
  for (const HistoryRevision& revision : history.revisions) {
    for (std::string& record : revision.Records()) ids.insert(std::move(record));
  }
  // Last, the revocations of any of those: who withdrew what is signed too.
  std::set<std::string> revocations;
  for (const JudgedRevocation& one : status.withdrawals.all()) {
    if (ids.contains(one.revocation.record)) revocations.insert(one.record);
  }
  ids.merge(revocations);
  return ids;
}

}  // namespace

Result<ModelReport> ReportOfModel(Context& context, const ReportRequest& request) {
  ModelReport report;
  ASSAY_ASSIGN_OR_RETURN(report.status, StatusOfModel(context, StatusRequest{request.model, request.checkpoints}));
  const std::string& name = report.status.model.model->identity.name;
  // A name that is not ORG/NAME has no repository to show: an empty history.
  if (RepositoryOf(name).ok()) {
    ASSAY_ASSIGN_OR_RETURN(report.history, LoadModelHistory(context, HistoryRequest{name, request.checkpoints}));
  }

  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context, /*create=*/false));
  std::vector<std::pair<uint64_t, ReportRecord>> records;
  for (const std::string& id : NamedRecords(report.status, report.history)) {
    ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger->FindRecord(id));
    ASSAY_ASSIGN_OR_RETURN(CheckedRecord judged,
                           JudgeForPredicate(context, found.envelope, trust, found.entry.predicate_type));
    records.push_back({found.entry.position, ReportRecord{id, KindOf(found.entry.predicate_type), std::move(judged)}});
  }
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [position, record] : records) report.records.push_back(std::move(record));

  report.ledger.path = ledger->path();
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> head, ledger->Head());
  report.ledger.head = head.value_or("");
  ASSAY_ASSIGN_OR_RETURN(std::vector<Sha256Digest> leaves, RecordLeafHashes(ledger->store()));
  report.ledger.size = leaves.size();
  report.ledger.root = ToHex(MerkleRoot(leaves));
  report.trust_file = context.paths.trust_file;
  report.checkpoints = request.checkpoints;
  report.generated_at = FormatUtcTime(context.NowUnixSeconds());
  return report;
}

}  // namespace assay
