// assay attest checkpoint | cosign: sign the ledger's state as a C2SP
// checkpoint, and let a witness countersign one after checking that the
// checkpoint it cosigned before is a prefix (docs/spec/checkpoint.md).
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/environment.h"
#include "cli/trust_report.h"
#include "ledger/ledger_checkpoint.h"
#include "sign/signed_note.h"

namespace assay::cli {
namespace {

struct CheckpointOptions {
  LedgerOptions ledger;
  KeyOptions key;
  std::string origin;  // default: assay.invalid/ledger/<key id>
  std::string output_path;
};

struct CosignOptions {
  std::string checkpoint_path;
  LedgerOptions ledger;
  KeyOptions key;
  std::string trust_path;
  std::string witness_name;  // default: assay.invalid/witness/<key id>
  std::string output_path;
};

Status WriteOrPrint(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::fputs(text.c_str(), stdout);
    return Status::Ok();
  }
  ASSAY_RETURN_IF_ERROR(LocalFileSystem().WriteFileAtomically(path, text));
  Print("written to %s\n", path);
  return Status::Ok();
}

// Where a witness remembers the last checkpoint of `origin` it cosigned.
std::string WitnessStatePath(const std::string& origin) {
  std::string digest = ToHex(Sha256::Of(origin));
  return DefaultConfigDir() + "/witness/" + digest.substr(0, 16) + ".note";
}

Status RunCheckpoint(const CheckpointOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(MinisignSecretKey key, LoadSigningKey(options.key));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  std::string origin = options.origin.empty() ? "assay.invalid/ledger/" + FormatMinisignKeyId(key.key_id())
                                              : options.origin;
  ASSAY_ASSIGN_OR_RETURN(std::string note, MakeLedgerCheckpoint(*ledger, origin, key.key()));
  return WriteOrPrint(options.output_path, note);
}

Status RunCosign(const CosignOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(std::string note, ReadWholeFile(LocalFileSystem(), options.checkpoint_path, kMaxSignedNoteSize));
  ASSAY_ASSIGN_OR_RETURN(MinisignSecretKey key, LoadSigningKey(options.key));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.trust_path)));
  Result<SignedNote> parsed = ParseSignedNote(note);
  if (!parsed.ok()) return parsed.status().WithContext(options.checkpoint_path);
  Result<Checkpoint> checkpoint = ParseCheckpoint(parsed->text);
  if (!checkpoint.ok()) return checkpoint.status().WithContext(options.checkpoint_path);

  const std::string state_path = WitnessStatePath(checkpoint->origin);
  std::optional<std::string> previous;
  if (LocalFileSystem().LinkStatus(state_path).ok()) {
    ASSAY_ASSIGN_OR_RETURN(previous, ReadWholeFile(LocalFileSystem(), state_path, kMaxSignedNoteSize));
  }
  std::string name = options.witness_name.empty() ? "assay.invalid/witness/" + FormatMinisignKeyId(key.key_id())
                                                  : options.witness_name;
  Result<std::string> cosigned = CosignLedgerCheckpoint(*ledger, note, previous, trust, name, key.key(),
                                                        static_cast<uint64_t>(NowUnixSeconds()));
  if (!cosigned.ok()) return cosigned.status().WithContext(options.checkpoint_path);
  ASSAY_RETURN_IF_ERROR(LocalFileSystem().CreateDirectories(DefaultConfigDir() + "/witness"));
  ASSAY_RETURN_IF_ERROR(LocalFileSystem().WriteFileAtomically(state_path, *cosigned));
  return WriteOrPrint(options.output_path, *cosigned);
}

}  // namespace

void AddCheckpointCommands(CLI::App& attest, Status& outcome) {
  auto checkpoint = std::make_shared<CheckpointOptions>();
  CLI::App* make = attest.add_subcommand("checkpoint", "sign the ledger's state as a C2SP checkpoint");
  AddLedgerOption(*make, checkpoint->ledger);
  AddKeyOptions(*make, checkpoint->key);
  make->add_option("--origin", checkpoint->origin, "the log's name (default: assay.invalid/ledger/KEYID)");
  make->add_option("-o,--output", checkpoint->output_path, "write the checkpoint here (default: stdout)");
  make->callback([checkpoint, &outcome] { outcome = RunCheckpoint(*checkpoint); });

  auto cosign = std::make_shared<CosignOptions>();
  CLI::App* witness = attest.add_subcommand("cosign", "as a witness, countersign a checkpoint that extends the last");
  witness->add_option("CHECKPOINT", cosign->checkpoint_path, "the checkpoint note")->required();
  AddLedgerOption(*witness, cosign->ledger);
  AddKeyOptions(*witness, cosign->key);
  witness->add_option("--trust", cosign->trust_path, "trust file holding the log's key");
  witness->add_option("--witness-name", cosign->witness_name, "default: assay.invalid/witness/KEYID");
  witness->add_option("-o,--output", cosign->output_path, "write the cosigned note here (default: stdout)");
  witness->callback([cosign, &outcome] { outcome = RunCosign(*cosign); });
}

}  // namespace assay::cli
