// assay verify ledger: the append-only proof (docs/spec/ledger.md): every
// commit only adds records, every record and every commit is signed by a
// trusted key, every record sits at the path its content gives.
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "ledger/ledger_checkpoint.h"
#include "ledger/ledger_verification.h"
#include "sign/signed_note.h"

namespace assay::cli {
namespace {

struct VerifyLedgerOptions {
  LedgerOptions ledger;
  std::string trust_path;
  std::string checkpoint_path;
};

// The witnesses in the trust file whose cosignatures are on `note`.
std::vector<std::string> TrustedCosigners(std::string_view note, const TrustFile& trust) {
  std::vector<std::string> cosigners;
  Result<SignedNote> parsed = ParseSignedNote(note);
  if (!parsed.ok()) return cosigners;
  for (const NoteSignature& signature : parsed->signatures) {
    for (const TrustEntry& entry : trust.entries()) {
      if (!entry.HasRole(TrustRole::kWitness)) continue;
      if (VerifyCosignature(note, signature.name, entry.key.key).ok()) {
        cosigners.push_back(entry.name + " (as " + signature.name + ")");
      }
    }
  }
  return cosigners;
}

// The ledger extends the checkpoint: prints who signed and cosigned it.
Status CheckCheckpoint(const LedgerStore& ledger, const TrustFile& trust, const std::string& path) {
  ASSAY_ASSIGN_OR_RETURN(std::string note, ReadWholeFile(LocalFileSystem(), path, kMaxSignedNoteSize));
  Result<CheckedCheckpoint> checked = CheckLedgerExtends(ledger, note, trust);
  if (!checked.ok()) return checked.status().WithContext(path);
  std::string signers;
  for (const std::string& name : checked->signers) signers += (signers.empty() ? "" : ", ") + name;
  Print("checkpoint %s: %llu records at %s, signed by %s\n", checked->checkpoint.origin,
              static_cast<unsigned long long>(checked->checkpoint.size), checked->commit.substr(0, 12),
              signers);
  for (const std::string& cosigner : TrustedCosigners(note, trust)) Print("cosigned   by %s\n", cosigner);
  Print("extends    the ledger still holds that history: its first %llu records have that root\n",
              static_cast<unsigned long long>(checked->checkpoint.size));
  return Status::Ok();
}

Status RunVerifyLedger(const VerifyLedgerOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.trust_path)));
  ASSAY_ASSIGN_OR_RETURN(LedgerReport report, VerifyLedger(*ledger, trust));
  // The index remembers the head this machine saw last: a rewrite since then is caught here.
  ASSAY_RETURN_IF_ERROR(OpenSyncedIndex(*ledger).status());
  Print("ledger     %s\n", ledger->path());
  Print("head       %s\n", report.head.empty() ? "(no records yet)" : report.head);
  Print("records    %zu\n", report.record_ids.size());
  Print("commits    %llu\n", static_cast<unsigned long long>(report.commits));
  Print("verified   every commit only adds records; every record and commit is signed by a trusted key\n");
  if (!options.checkpoint_path.empty()) return CheckCheckpoint(*ledger, trust, options.checkpoint_path);
  return Status::Ok();
}

}  // namespace

void AddVerifyLedgerCommand(CLI::App& verify, Status& outcome) {
  auto options = std::make_shared<VerifyLedgerOptions>();
  CLI::App* command = verify.add_subcommand("ledger", "prove the ledger was only ever appended to");
  AddLedgerOption(*command, options->ledger);
  command->add_option("--trust", options->trust_path, "trust file (env ASSAY_TRUST_FILE)");
  command->add_option("--checkpoint", options->checkpoint_path, "prove the ledger extends this checkpoint");
  command->callback([options, &outcome] { outcome = RunVerifyLedger(*options); });
}

}  // namespace assay::cli
