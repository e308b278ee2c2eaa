// assay export CLAIM --bundle FILE: the evidence bundle of a claim
// (record/evidence_bundle.h): the claim, its model record, its reproductions
// and the signers' public keys, in one .intoto.jsonl file that
// `assay verify claim --bundle FILE` checks offline.
#include <cstdio>
#include <memory>

#include "record/evidence_bundle.h"
#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/ledger_records.h"
#include "sign/dsse.h"

namespace assay::cli {
namespace {

struct ExportOptions {
  std::string claim;
  std::string bundle_path;
  LedgerOptions ledger;
  std::string trust_path;
};

// The trust entries of every key that signed `envelope`.
Status AddSignerKeys(const std::string& envelope, const TrustFile& trust, TrustFile& keys) {
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope parsed, ParseDsseEnvelope(envelope));
  for (const TrustEntry& entry : trust.entries()) {
    if (keys.Find(entry.key.key) != nullptr) continue;
    if (VerifyDsse(parsed, kInTotoPayloadType, std::span(&entry.key.key, 1)).ok()) ASSAY_RETURN_IF_ERROR(keys.Add(entry));
  }
  return Status::Ok();
}

Status RunExport(const ExportOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.trust_path)));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(CheckedLedgerRecord claim_record, ReadLedgerRecord(*index, options.claim, trust, TrustRole::kVendor));
  ASSAY_ASSIGN_OR_RETURN(SignedClaim claim, LoadSignedClaim(*index, claim_record.id, trust));
  EvidenceBundle bundle;
  bundle.envelopes.push_back(claim_record.envelope);
  if (claim.claim.binding.bound_to_weights()) {
    ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> model, index->Envelope(claim.claim.binding.model_record));
    if (!model) return Status::InvalidInput("the ledger lacks model record " + claim.claim.binding.model_record);
    bundle.envelopes.push_back(*model);
  }
  for (const SignedReproduction& reproduction : claim.reproductions) {
    ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, index->Envelope(reproduction.id));
    if (envelope) bundle.envelopes.push_back(*envelope);
  }
  for (const std::string& envelope : bundle.envelopes) ASSAY_RETURN_IF_ERROR(AddSignerKeys(envelope, trust, bundle.keys));
  ASSAY_RETURN_IF_ERROR(LocalFileSystem().WriteFileAtomically(options.bundle_path, FormatEvidenceBundle(bundle), 0644));
  Print("bundle     %s: the claim, %s%zu reproduction(s) and %zu signer key(s)\n", options.bundle_path,
              claim.claim.binding.bound_to_weights() ? "its model record, " : "", claim.reproductions.size(),
              bundle.keys.entries().size());
  Print("check it   assay verify claim %.16s --bundle %s\n", claim.id, options.bundle_path);
  return Status::Ok();
}

}  // namespace

void AddExportCommand(CLI::App& app, Status& outcome) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* command = app.add_subcommand("export", "write a claim's evidence bundle (.intoto.jsonl) for offline checking");
  command->add_option("CLAIM", options->claim, "the claim: id or id prefix")->required();
  command->add_option("--bundle", options->bundle_path, "the bundle file to write")->required();
  AddLedgerOption(*command, options->ledger);
  command->add_option("--trust", options->trust_path, "trust file (names the signers' keys in the bundle)");
  command->callback([options, &outcome] { outcome = RunExport(*options); });
}

}  // namespace assay::cli
