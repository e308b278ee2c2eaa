// The one main: the command table, and the one place where outcomes become
// exit codes (DESIGN.md, Command line).
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/terminal.h"
#include "ops/key_ring.h"
#include "version.h"

namespace assay::cli {

void Warn(const std::string& message) { PrintTo(stderr, "assay: warning: %s\n", message); }

namespace {

// The one error printer: "assay: error: MESSAGE" and, when the status has
// one, "hint: HINT", each one line whatever the text holds (a name quoted
// from a record may carry a newline or an escape sequence).
void PrintError(const Status& status) {
  PrintTo(stderr, "assay: error: %s\n", status.message());
  if (!status.hint().empty()) PrintTo(stderr, "hint: %s\n", status.hint());
}

// Runs the chosen command with the one context of this process.
Status RunChosen(CommandLine& cli) {
  TerminalPrompter prompter;
  TerminalOutput output;
  MinisignKeyFiles keys(LocalFileSystem(), ResolvePassphraseSources(cli.flags, &prompter));
  Context context{ResolvePaths(cli.flags), LocalFileSystem(), RealTimeClock(), keys, output};
  return cli.chosen(context);
}

int Main(int argc, char** argv) {
  CLI::App app("assay: verifiable AI benchmark scores, tied to the exact weights that made them",
               "assay");
  app.set_version_flag("--version", std::string("assay ") + kAssayVersion);
  app.require_subcommand(1);
  CommandLine cli;

  AddInitCommand(app, cli);
  AddReindexCommand(app, cli);
  AddLedgerQueryCommands(app, cli);
  AddRemoteCommands(app, cli);
  CLI::App* attest = app.add_subcommand("attest", "make a record: attest model DIR");
  attest->require_subcommand(1);
  AddAttestModelCommand(*attest, cli);
  AddAttestClaimCommand(*attest, cli);
  AddAttestReproductionCommand(*attest, cli);
  AddAttestPlanCommand(*attest, cli);
  AddAttestDeploymentCommand(*attest, cli);
  AddAttestComparisonCommand(*attest, cli);
  AddAttestRevocationCommand(*attest, cli);
  AddCheckpointCommands(*attest, cli);

  CLI::App* verify = app.add_subcommand("verify", "check a record: verify model RECORD [DIR]");
  verify->require_subcommand(1);
  AddVerifyModelCommand(*verify, cli);
  AddVerifyLedgerCommand(*verify, cli);
  AddVerifyClaimCommand(*verify, cli);
  AddSampleProofCommands(app, *verify, cli);
  AddVerifySignatureCommand(*verify, cli);
  AddVerifyLfsCommand(*verify, cli);
  AddStatusCommand(app, cli);
  AddExportCommand(app, cli);
  AddDiffCommand(app, cli);
  AddForensicsCommand(app, cli);
  AddLineageCommand(app, cli);
  AddCompareTranscriptsCommand(app, cli);
  AddObserveCommand(app, cli);
  AddHistoryCommand(app, cli);
  AddReportCommand(app, cli);
  AddKeyCommand(app, cli);
  AddTrustCommand(app, cli);
  AddSignCommand(app, cli);
  AddDemoCommand(app, cli);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    // CLI11's own codes start at 100; DESIGN.md wants 2 for every usage error.
    PrintTo(stderr, "assay: error: %s\nhint: run 'assay --help' for usage\n", error.what());
    return kExitInvalidInput;
  }
  const Status outcome = cli.chosen ? RunChosen(cli) : Status::Ok();
  if (!outcome.ok()) PrintError(outcome);
  return ExitCodeFor(outcome);
}

}  // namespace
}  // namespace assay::cli

int main(int argc, char** argv) { return assay::cli::Main(argc, argv); }
