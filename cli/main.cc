// The one main: the command table, and the one place where outcomes become
// exit codes (DESIGN.md, Command line).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <vector>

#include "cli/colour.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/help_examples.h"
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

// The edit distance of two words (insertions, deletions, substitutions).
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The commands the words name ("attest model "), and the first word where a
// command was due that names none. Only the first word after each command is
// read as a command: options belong to the command they follow.
struct CommandWords {
  std::string path;
  std::string unknown;
  const CLI::App* closest = nullptr;  // the known command nearest to `unknown`
};

CommandWords ReadCommandWords(const CLI::App& app, int argc, char** argv) {
  CommandWords words;
  const CLI::App* current = &app;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    const std::vector<const CLI::App*> commands = current->get_subcommands({});
    if (word.starts_with("-") || commands.empty()) break;
    const CLI::App* named = nullptr;
    size_t best = SIZE_MAX;
    for (const CLI::App* command : commands) {
      if (command->get_name() == word) named = command;
      const size_t distance = EditDistance(word, command->get_name());
      if (distance < best) best = distance, words.closest = command;
    }
    if (named == nullptr) {
      words.unknown = word;
      break;
    }
    words.path += word + " ";
    current = named;
  }
  return words;
}

// CLI11's error in assay's shape: an unknown command with the nearest one,
// anything else with the help of the command it was for.
Status ParseFailure(const CLI::App& app, int argc, char** argv, const CLI::ParseError& error) {
  const CommandWords words = ReadCommandWords(app, argc, argv);
  if (!words.unknown.empty()) {
    return Status::InvalidInput("unknown command '" + words.path + words.unknown + "'")
        .WithHint("did you mean '" + words.path + words.closest->get_name() + "'? 'assay " + words.path +
                  "--help' lists the commands");
  }
  return Status::InvalidInput(error.what()).WithHint("run 'assay " + words.path + "--help' for usage");
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
  AddHelpExamples(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    // Help is human output like any other: fitted to 80 columns.
    std::fputs(FitToWidth(app.help()).c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(FitToWidth(app.help("", CLI::AppFormatMode::All)).c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    // CLI11's own codes start at 100; DESIGN.md wants 2 for every usage error.
    PrintError(ParseFailure(app, argc, argv, error));
    return kExitInvalidInput;
  }
  SetEmitColour(StdoutWantsColour());
  const Status outcome = cli.chosen ? RunChosen(cli) : Status::Ok();
  if (!outcome.ok()) PrintError(outcome);
  return ExitCodeFor(outcome);
}

}  // namespace
}  // namespace assay::cli

int main(int argc, char** argv) { return assay::cli::Main(argc, argv); }
