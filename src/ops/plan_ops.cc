#include "ops/plan_ops.h"

#include <algorithm>
#include <functional>

#include "joined.h"
#include "json/strict_json.h"
#include "ledger/record_summary.h"
#include "ops/signed_claim.h"
#include "record/in_toto.h"
#include "record/record_id.h"
#include "sign/signed_note.h"

namespace assay {
namespace {

// A plan file is a small JSON document; a megabyte is far more than any needs.
constexpr uint64_t kMaxPlanFileBytes = uint64_t{1} << 20;

// A plan is the planner's, vendor or evaluator: judged in either role.
Result<CheckedRecord> JudgePlan(Context& context, const std::string& envelope, const TrustFile& trust) {
  return JudgeForPredicate(context, envelope, trust, kPlanPredicateType);
}

// A plan as a claim or reproduction finds it: judged, with its place in the
// ledger when it came from one; or why it could not be found.
struct LocatedPlan {
  Result<CheckedRecord> judged = Status::NotFound("not in the ledger");
  std::optional<uint64_t> position;
};

// The plan a claim or reproduction names, and the run checked against it.
PlanReport ReportPlan(const std::string& plan_id, const LocatedPlan& located, const PlannedRun& run) {
  PlanReport report;
  report.plan_id = plan_id;
  const Result<CheckedRecord>& judged = located.judged;
  if (!judged.ok() || judged->altered()) {
    report.problem = judged.ok() ? "altered after signing: " + judged->problem : judged.status().message();
    return report;
  }
  Result<Plan> plan = ParsePlanStatement(judged->payload);
  if (!plan.ok()) {
    report.problem = "not a plan record: " + plan.status().message();
    return report;
  }
  report.signer = SignerName(*judged);
  report.following = CheckPlanFollowed(*plan, run);
  report.position = located.position;
  report.run_started = run.eval->started;
  return report;
}

// The model a claim is about, as a plan names it.
PlannedRun RunOfClaim(const Claim& claim) {
  PlannedRun run;
  const ClaimBinding& binding = claim.binding;
  run.model_name = binding.endpoint ? EndpointName(*binding.endpoint) : binding.model_name;
  run.model_revision = binding.model_revision;
  run.eval = &claim.eval;
  return run;
}

}  // namespace

Result<AttestedPlan> AttestPlan(Context& context, const AttestPlanRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(context.fs, request.plan_file, kMaxPlanFileBytes));
  Result<nlohmann::json> document = ParseStrictJson(text);
  if (!document.ok()) return document.status().WithContext(request.plan_file);
  Result<Plan> plan = ReadPlanPredicate(Fields(*document, "plan"));
  if (!plan.ok()) return plan.status().WithContext(request.plan_file);
  // The ledger before the key: a plan that cannot be appended must not cost a passphrase.
  ASSAY_RETURN_IF_ERROR(OpenLedger(context).status());
  ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(PlanStatement(*plan)));
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  AttestedPlan attested;
  ASSAY_ASSIGN_OR_RETURN(attested.published,
                         Publish(context, statement, PublishOptions{key, /*append=*/true, request.output_path}));
  attested.plan = std::move(*plan);
  return attested;
}

Result<FoundPlan> FindPlan(Context& context, Ledger& ledger, const TrustFile& trust, std::string_view id_or_prefix) {
  ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger.FindRecord(id_or_prefix));
  if (found.entry.predicate_type != kPlanPredicateType) {
    return Status::InvalidInput("--plan " + std::string(id_or_prefix) + ": record " + found.entry.id.substr(0, 16) +
                                " is a " + std::string(RecordKindName(found.entry.kind)) + " record, not a plan")
        .WithHint("'assay attest plan PLAN.json' signs one");
  }
  ASSAY_ASSIGN_OR_RETURN(CheckedRecord judged, JudgePlan(context, found.envelope, trust));
  if (judged.altered()) return Status::CheckFailed("plan " + found.entry.id + ": " + judged.problem);
  Result<Plan> plan = ParsePlanStatement(judged.payload);
  if (!plan.ok()) return plan.status().WithContext("plan " + found.entry.id);
  return FoundPlan{found.entry.id, std::move(*plan)};
}

Status NamePlan(const FoundPlan& plan, const std::string& benchmark, std::string& plan_id) {
  if (plan.plan.Find(benchmark) == nullptr) {
    std::vector<std::string> planned;
    for (const PlannedBenchmark& one : plan.plan.benchmarks) planned.push_back(one.name);
    return Status::InvalidInput("--plan " + plan.id.substr(0, 16) + " does not plan " + benchmark +
                                " (it plans " + Joined(planned, ", ") + ")");
  }
  plan_id = plan.id;
  return Status::Ok();
}

void AttachPlans(const std::function<LocatedPlan(const std::string&)>& locate, SignedClaim& claim) {
  if (!claim.claim.plan.empty()) {
    claim.plan = ReportPlan(claim.claim.plan, locate(claim.claim.plan), RunOfClaim(claim.claim));
  }
  for (SignedReproduction& reproduction : claim.reproductions) {
    const std::string& plan_id = reproduction.reproduction.plan;
    if (plan_id.empty()) continue;
    PlannedRun run = RunOfClaim(claim.claim);
    run.eval = &reproduction.reproduction.eval;
    run.margin = reproduction.reproduction.margin;
    reproduction.plan = ReportPlan(plan_id, locate(plan_id), run);
  }
}

Status AttachPlans(Context& context, Ledger& ledger, const TrustFile& trust, SignedClaim& claim) {
  AttachPlans(
      [&](const std::string& id) {
        LocatedPlan located;
        Result<Ledger::Found> found = ledger.FindRecord(id);
        if (!found.ok()) return located;
        located.judged = JudgePlan(context, found->envelope, trust);
        located.position = found->entry.position;
        return located;
      },
      claim);
  return Status::Ok();
}

void AttachBundledPlans(const std::vector<CheckedRecord>& plans, SignedClaim& claim) {
  AttachPlans(
      [&](const std::string& id) {
        LocatedPlan located;
        located.judged = Status::NotFound("not in the bundle");
        for (const CheckedRecord& plan : plans) {
          if (plan.id == id) located.judged = plan;
        }
        return located;
      },
      claim);
}

Result<std::vector<WitnessedCheckpoint>> ReadWitnessedCheckpoints(Context& context, const Ledger& ledger,
                                                                   const TrustFile& trust,
                                                                   const std::vector<std::string>& files) {
  std::vector<WitnessedCheckpoint> witnessed;
  for (const std::string& file : files) {
    ASSAY_ASSIGN_OR_RETURN(std::string note, ReadWholeFile(context.fs, file, kMaxSignedNoteSize));
    Result<CheckedCheckpoint> checked = ledger.CheckExtends(note, trust);
    if (!checked.ok()) return checked.status().WithContext(file);
    for (const TrustedCosignature& one : TrustedCosignatures(note, trust)) {
      // A time in the future vouches for nothing yet.
      if (one.time > static_cast<uint64_t>(context.NowUnixSeconds())) continue;
      witnessed.push_back({file, checked->checkpoint.size, one.witness, static_cast<int64_t>(one.time)});
    }
  }
  return witnessed;
}

void JudgeRegistrations(const std::vector<WitnessedCheckpoint>& checkpoints, SignedClaim& claim) {
  if (claim.plan) JudgeRegistration(*claim.plan, checkpoints);
  for (SignedReproduction& reproduction : claim.reproductions) {
    if (reproduction.plan) JudgeRegistration(*reproduction.plan, checkpoints);
  }
}

Result<std::vector<UnclaimedPlan>> UnclaimedPlans(Context& context, Ledger& ledger, const TrustFile& trust,
                                                   const std::string& model_name, const std::string& revision,
                                                   const std::vector<SignedClaim>& claims) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> entries, ledger.index().RecordsOfPredicateType(kPlanPredicateType));
  std::vector<UnclaimedPlan> unclaimed;
  for (const RecordEntry& entry : entries) {
    const bool named = std::any_of(claims.begin(), claims.end(), [&](const SignedClaim& claim) {
      return claim.claim.plan == entry.id ||
             std::any_of(claim.reproductions.begin(), claim.reproductions.end(),
                         [&](const SignedReproduction& one) { return one.reproduction.plan == entry.id; });
    });
    if (named) continue;
    ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger.FindRecord(entry.id));
    ASSAY_ASSIGN_OR_RETURN(CheckedRecord judged, JudgePlan(context, found.envelope, trust));
    Result<Plan> plan = ParsePlanStatement(judged.payload);
    if (judged.altered() || !plan.ok() || plan->model_name != model_name) continue;
    if (plan->revision && *plan->revision != revision) continue;
    unclaimed.push_back({entry.id, SignerName(judged), std::move(*plan)});
  }
  return unclaimed;
}

}  // namespace assay
