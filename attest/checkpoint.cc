// assay attest checkpoint | cosign: sign the ledger's state as a C2SP
// checkpoint, and let a witness countersign one after checking that the
// checkpoint it cosigned before is a prefix (docs/spec/checkpoint.md).
// Flags -> MakeCheckpoint or CosignCheckpoint (src/ops/ledger_ops.h) ->
// the note, or where it was written.
#include <memory>

#include "cli/command.h"
#include "ops/ledger_ops.h"
#include "render/ledger_render.h"

namespace assay::cli {

void AddCheckpointCommands(CLI::App& attest, CommandLine& cli) {
  auto checkpoint = std::make_shared<CheckpointRequest>();
  CLI::App* make = attest.add_subcommand("checkpoint", "sign the ledger's state as a C2SP checkpoint");
  cli.AddLedgerFlag(make);
  cli.AddCacheDirFlag(make);
  cli.AddKeyFlags(make);
  make->add_option("--origin", checkpoint->origin, "the log's name (default: assay.invalid/ledger/KEYID)");
  cli.AddOutputFlag(make, "write the checkpoint here (default: stdout)");
  cli.OnRun(make, [checkpoint, &cli](Context& context) -> Status {
    checkpoint->output = cli.flags.output;
    ASSAY_ASSIGN_OR_RETURN(SignedCheckpoint signed_checkpoint, MakeCheckpoint(context, *checkpoint));
    EmitVerbatim(RenderText(signed_checkpoint));  // the note itself, unless written to a file
    return Status::Ok();
  });

  auto cosign = std::make_shared<CosignRequest>();
  CLI::App* witness = attest.add_subcommand("cosign", "as a witness, countersign a checkpoint that extends the last");
  witness->add_option("CHECKPOINT", cosign->checkpoint, "the checkpoint note")->required();
  cli.AddLedgerFlag(witness);
  cli.AddCacheDirFlag(witness);
  cli.AddKeyFlags(witness);
  cli.AddTrustFlag(witness, "trust file holding the log's key");
  witness->add_option("--witness-name", cosign->witness_name, "default: assay.invalid/witness/KEYID");
  cli.AddOutputFlag(witness, "write the cosigned note here (default: stdout)");
  cli.OnRun(witness, [cosign, &cli](Context& context) -> Status {
    cosign->output = cli.flags.output;
    ASSAY_ASSIGN_OR_RETURN(SignedCheckpoint cosigned, CosignCheckpoint(context, *cosign));
    EmitVerbatim(RenderText(cosigned));
    return Status::Ok();
  });
}

}  // namespace assay::cli
