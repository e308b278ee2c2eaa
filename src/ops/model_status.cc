#include "ops/model_status.h"

#include <algorithm>
#include <set>

#include "ops/plan_ops.h"
#include "ops/publish.h"
#include "ops/signed_claim.h"

namespace assay {

Result<ModelStatus> StatusOfModel(Context& context, const StatusRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context, /*create=*/false));
  ModelReferenceOptions options;
  options.folders = false;
  options.report_only = true;
  options.policy.required_role = TrustRole::kVendor;
  ModelStatus status;
  ASSAY_ASSIGN_OR_RETURN(status.model, ResolveModelInLedger(context, *ledger, request.model, options));
  const ModelRecord& model = *status.model.model;
  if (!model.manifest.weights_roots.empty()) status.weights_root = ToHex(model.manifest.weights_roots.front().root);

  // Weights identity: uploads with this root, and uploads under this name without it.
  std::set<std::string> seen;
  auto add = [&](const ModelEntry& entry) {
    if (!seen.insert(entry.record.id).second) return;
    Upload upload{entry.record.id, entry.model.name, entry.model.revision,
                  entry.model.weights_roots.empty() ? "" : entry.model.weights_roots.front().root};
    const bool same = !status.weights_root.empty() && upload.weights_root == status.weights_root;
    (same ? status.same_weights : status.different_weights).push_back(std::move(upload));
  };
  LedgerIndex& index = ledger->index();
  if (!status.weights_root.empty()) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> by_root, index.ModelsByWeightsRoot(status.weights_root));
    for (const ModelEntry& entry : by_root) add(entry);
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> by_name, index.ModelsByName(model.identity.name, std::nullopt));
  for (const ModelEntry& entry : by_name) add(entry);

  const std::string& about = status.weights_root.empty() ? status.model.record->id : status.weights_root;
  ASSAY_ASSIGN_OR_RETURN(std::vector<WitnessedCheckpoint> witnessed,
                         ReadWitnessedCheckpoints(context, *ledger, trust, request.checkpoints));
  ASSAY_ASSIGN_OR_RETURN(std::vector<ClaimEntry> entries, index.ClaimsForModel(about));
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    ASSAY_ASSIGN_OR_RETURN(SignedClaim claim, LoadSignedClaim(context, *ledger, trust, it->record.id));
    JudgeRegistrations(witnessed, claim);
    status.claims.push_back(std::move(claim));
  }
  std::vector<std::string> records = {status.model.record->id};
  for (const Upload& upload : status.same_weights) {
    if (upload.record_id != records.front()) records.push_back(upload.record_id);
  }
  ASSAY_ASSIGN_OR_RETURN(const std::vector<JudgedDeployment> deployments, JudgeDeployments(context, *ledger, trust));
  for (const std::string& id : records) {
    for (JudgedDeployment& one : NamingModelRecord(deployments, id)) status.deployments.push_back(std::move(one));
  }
  std::stable_sort(status.deployments.begin(), status.deployments.end(),
                   [](const JudgedDeployment& a, const JudgedDeployment& b) { return a.deployment.from < b.deployment.from; });
  ASSAY_ASSIGN_OR_RETURN(status.endpoint_claims, ClaimsServedBy(context, *ledger, trust, deployments, status.deployments));
  for (ServedClaim& served : status.endpoint_claims) JudgeRegistrations(witnessed, served.claim);
  ASSAY_ASSIGN_OR_RETURN(status.comparisons, ComparisonsOfModels(context, *ledger, trust, records));
  ASSAY_ASSIGN_OR_RETURN(status.withdrawals, Withdrawals::Load(context, *ledger, trust));
  ASSAY_ASSIGN_OR_RETURN(status.unclaimed_plans,
                         UnclaimedPlans(context, *ledger, trust, model.identity.name,
                                        model.identity.revision.value_or(""), status.claims));
  return status;
}

}  // namespace assay
