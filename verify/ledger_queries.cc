// assay log | show: read the ledger through its index (docs/spec/ledger-index.md).
// Flags -> LogLedger or ShowRecord (src/ops/ledger_ops.h) -> render/ledger_render.h.
#include <memory>

#include "cli/command.h"
#include "ops/ledger_ops.h"
#include "render/ledger_render.h"

namespace assay::cli {

void AddLedgerQueryCommands(CLI::App& app, CommandLine& cli) {
  auto log = std::make_shared<LogRequest>();
  CLI::App* log_command = app.add_subcommand("log", "list the ledger's records, newest first");
  cli.AddLedgerFlag(log_command);
  cli.AddCacheDirFlag(log_command);
  cli.AddTrustFlag(log_command, "trust file: records whose signature does not count are marked");
  log_command->add_option("-n,--limit", log->limit, "at most this many (default 20)");
  log_command->add_option("--model", log->model, "model records of NAME[@REVISION]");
  log_command->add_option("--weights-root", log->weights_root, "model records with this weights root");
  log_command->add_option("--benchmark", log->benchmark, "claims about this benchmark");
  log_command->add_option("--signer", log->signer, "records whose signature keyid is this (SHA256:...)");
  cli.AddJsonFlag(log_command, "print JSON");
  auto long_ids = std::make_shared<bool>(false);
  log_command->add_flag("--long", *long_ids,
                        "whole record ids and commits (default: the first 16 and 12 hex digits, which name them)");
  cli.OnRun(log_command, [log, long_ids, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(LedgerLog result, LogLedger(context, *log));
    if (cli.flags.json) {
      EmitJson(RenderJson(result));
    } else {
      Emit(RenderText(result, *long_ids), *long_ids ? Lines::kWhole : Lines::kFitted);
    }
    return Status::Ok();
  });

  auto show = std::make_shared<ShowRequest>();
  CLI::App* show_command = app.add_subcommand("show", "print one record: ID or an id prefix of 8+ hex digits");
  show_command->add_option("ID", show->id, "record id or unique prefix")->required();
  cli.AddLedgerFlag(show_command);
  cli.AddCacheDirFlag(show_command);
  cli.AddJsonFlag(show_command, "print the record's statement as JSON");
  cli.OnRun(show_command, [show, &cli](Context& context) -> Status {
    show->statement = cli.flags.json;
    ASSAY_ASSIGN_OR_RETURN(ShownRecord shown, ShowRecord(context, *show));
    if (cli.flags.json) {
      EmitJson(RenderJson(shown));
    } else {
      Emit(RenderText(shown));
    }
    return Status::Ok();
  });
}

}  // namespace assay::cli
