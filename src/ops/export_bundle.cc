#include "ops/export_bundle.h"

#include <algorithm>

#include "ops/publish.h"
#include "ops/signed_claim.h"
#include "record/evidence_bundle.h"
#include "sign/dsse.h"

namespace assay {
namespace {

// The trust entries of every key that signed `envelope`.
Status AddSignerKeys(const std::string& envelope, const TrustFile& trust, TrustFile& keys) {
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope parsed, ParseDsseEnvelope(envelope));
  for (const TrustEntry& entry : trust.entries()) {
    if (keys.Find(entry.key.key) != nullptr) continue;
    if (VerifyDsse(parsed, kInTotoPayloadType, std::span(&entry.key.key, 1)).ok()) ASSAY_RETURN_IF_ERROR(keys.Add(entry));
  }
  return Status::Ok();
}

}  // namespace

Result<ExportedBundle> ExportBundle(Context& context, const ExportBundleRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context, /*create=*/false));
  ExportedBundle exported;
  exported.bundle_path = request.bundle_path;
  ASSAY_ASSIGN_OR_RETURN(exported.claim, LoadSignedClaim(context, *ledger, trust, request.claim));
  const SignedClaim& claim = exported.claim;
  std::vector<std::string> ids = {claim.record.id};
  if (claim.claim.binding.bound_to_weights()) {
    ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> model, ledger->index().Envelope(claim.claim.binding.model_record));
    if (!model) return Status::InvalidInput("the ledger lacks model record " + claim.claim.binding.model_record);
    ids.push_back(claim.claim.binding.model_record);
    exported.has_model_record = true;
  }
  for (const SignedReproduction& reproduction : claim.reproductions) ids.push_back(reproduction.record.id);
  // The plans they name, once each, so that a bundle shows whether its runs followed them.
  std::vector<std::string> plans;
  if (claim.plan && claim.plan->problem.empty()) plans.push_back(claim.plan->plan_id);
  for (const SignedReproduction& reproduction : claim.reproductions) {
    if (reproduction.plan && reproduction.plan->problem.empty()) plans.push_back(reproduction.plan->plan_id);
  }
  for (const std::string& plan : plans) {
    if (std::find(ids.begin(), ids.end(), plan) == ids.end()) ids.push_back(plan);
  }
  ASSAY_ASSIGN_OR_RETURN(const Withdrawals withdrawals, Withdrawals::Load(context, *ledger, trust));
  for (size_t i = 0, records = ids.size(); i < records; ++i) {
    if (const JudgedRevocation* withdrawn = withdrawals.Of(ids[i])) {
      ids.push_back(withdrawn->record);
      exported.withdrawn.push_back(*withdrawn);
    }
  }
  EvidenceBundle bundle;
  for (const std::string& id : ids) {
    ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger->FindRecord(id));
    bundle.envelopes.push_back(std::move(found.envelope));
  }
  for (const std::string& envelope : bundle.envelopes) ASSAY_RETURN_IF_ERROR(AddSignerKeys(envelope, trust, bundle.keys));
  exported.keys = bundle.keys.entries().size();
  ASSAY_RETURN_IF_ERROR(context.fs.WriteFileAtomically(request.bundle_path, FormatEvidenceBundle(bundle), 0644));
  return exported;
}

}  // namespace assay
