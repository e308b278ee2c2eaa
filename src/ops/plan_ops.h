// Plans (docs/spec/plan.md): `assay attest plan PLAN.json` signs one before
// the run; `--plan ID` on `attest claim` and `attest reproduction` names it;
// status and verify report whether each run followed the plan it names, and
// status lists a model's plans no claim names yet.
#pragma once

#include <string>
#include <vector>

#include "claim/claim_status.h"
#include "ledger/ledger.h"
#include "ops/context.h"
#include "ops/publish.h"
#include "record/plan_statement.h"
#include "sign/trust_file.h"

namespace assay {

struct AttestPlanRequest {
  std::string plan_file;    // the predicate, as docs/spec/plan.md gives it
  std::string output_path;  // -o
};
struct AttestedPlan {
  Plan plan;
  PublishedRecord published;
};
// Reads and checks the plan file before the key is unlocked (kInvalidInput
// naming the file and the field), then signs and appends it.
Result<AttestedPlan> AttestPlan(Context& context, const AttestPlanRequest& request);

struct FoundPlan {
  std::string id;
  Plan plan;
};
// The plan record with this id or id prefix, for `--plan`: kNotFound when the
// ledger has none, kInvalidInput when it is not a well-formed plan record,
// kCheckFailed when its signature does not verify over it.
Result<FoundPlan> FindPlan(Context& context, Ledger& ledger, const TrustFile& trust, std::string_view id_or_prefix);

// For `--plan`: sets `plan_id` to the plan's id when it plans `benchmark`;
// kInvalidInput naming the benchmarks it plans otherwise.
Status NamePlan(const FoundPlan& plan, const std::string& benchmark, std::string& plan_id);

// Fills `plan` of the claim and each reproduction that names one: whether it
// was found, who signed it, and whether the run followed it.
Status AttachPlans(Context& context, Ledger& ledger, const TrustFile& trust, SignedClaim& claim);

// `--checkpoint NOTE` (repeatable): each a checkpoint of the context's ledger
// (kCheckFailed naming the file when the ledger does not extend it), with
// every cosignature by a witness of the trust file, at its time (one in the
// future is passed over).
Result<std::vector<WitnessedCheckpoint>> ReadWitnessedCheckpoints(Context& context, const Ledger& ledger,
                                                                   const TrustFile& trust,
                                                                   const std::vector<std::string>& files);
// AttachPlans for records read from an evidence bundle: the bundle's plan
// records, judged (a plan it lacks: "not in the bundle"); with no ledger
// position, their registration is not witnessed.
void AttachBundledPlans(const std::vector<CheckedRecord>& plans, SignedClaim& claim);

// JudgeRegistration of the claim's plan and of each reproduction's.
void JudgeRegistrations(const std::vector<WitnessedCheckpoint>& checkpoints, SignedClaim& claim);

// A plan no claim names: the planned runs that were never claimed.
struct UnclaimedPlan {
  std::string id;
  std::string signer;  // as PlanReport::signer
  Plan plan;
};
// The ledger's plans of `model_name` (any revision, or `revision` when the
// plan fixes one) that no claim in `claims` names, newest first.
Result<std::vector<UnclaimedPlan>> UnclaimedPlans(Context& context, Ledger& ledger, const TrustFile& trust,
                                                   const std::string& model_name, const std::string& revision,
                                                   const std::vector<SignedClaim>& claims);

}  // namespace assay
