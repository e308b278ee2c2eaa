// How a command plugs into the one command table in cli/main.cc
// (docs/ARCHITECTURE.md): it adds its CLI11 subcommand with its flags, and
// names what runs when it is chosen: a function of the Context that main
// builds once the flags are parsed. That function makes the request, calls
// the library once, renders the result (Emit), and returns the outcome; main
// prints a failed outcome as "assay: error: ..." (and "hint: ..."), and exits
// with the code cli/exit_codes.h gives its kind.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "cli/environment.h"
#include "ops/context.h"
#include "render/text.h"
#include "status.h"

namespace assay::cli {

using Run = std::function<Status(Context&)>;

// The command table's side of a subcommand: the flags that mean the same on
// every command (one set: only the chosen subcommand's flags are parsed), and
// the run the chosen one set.
class CommandLine {
 public:
  CommonFlags flags;
  Run chosen;

  // `command` runs `run` when it is chosen.
  void OnRun(CLI::App* command, Run run);

  void AddLedgerFlag(CLI::App* command);
  void AddNoLedgerFlag(CLI::App* command);
  void AddTrustFlag(CLI::App* command, const std::string& help = "trust file (whose signatures count)");
  void AddCacheDirFlag(CLI::App* command);
  void AddKeyFlags(CLI::App* command);
  void AddJsonFlag(CLI::App* command, const std::string& help = "print the result as JSON");
  void AddOutputFlag(CLI::App* command, const std::string& help);
};

// Writes a rendered result on stdout. Emit: human text as the renderers made
// it (they escape what they show), fitted to 80 columns (FitToWidth) unless
// the user asked for whole lines (`log --long`), and its verdict words
// coloured when SetEmitColour(true) (cli/colour.h).
// EmitVerbatim: bytes that are a format of their own (a record, JSON, an
// exported key or allowed_signers file), as they are. EmitJson: JSON
// indented by two. Neither of the last two is ever coloured or broken.
enum class Lines { kFitted, kWhole };
void Emit(const std::string& text, Lines lines = Lines::kFitted);
void EmitVerbatim(const std::string& bytes);
void SetEmitColour(bool colour);
void EmitJson(const nlohmann::json& value);

// Every command, in the request -> library call -> result -> renderer shape.
void AddAttestModelCommand(CLI::App& attest, CommandLine& cli);
void AddVerifyModelCommand(CLI::App& verify, CommandLine& cli);
void AddDemoCommand(CLI::App& app, CommandLine& cli);
void AddAttestClaimCommand(CLI::App& attest, CommandLine& cli);
void AddAttestReproductionCommand(CLI::App& attest, CommandLine& cli);
void AddAttestPlanCommand(CLI::App& attest, CommandLine& cli);
void AddAttestDeploymentCommand(CLI::App& attest, CommandLine& cli);
void AddAttestComparisonCommand(CLI::App& attest, CommandLine& cli);
void AddAttestRevocationCommand(CLI::App& attest, CommandLine& cli);
void AddVerifyClaimCommand(CLI::App& verify, CommandLine& cli);
void AddSampleProofCommands(CLI::App& app, CLI::App& verify, CommandLine& cli);  // prove sample, verify sample
void AddStatusCommand(CLI::App& app, CommandLine& cli);
void AddExportCommand(CLI::App& app, CommandLine& cli);
void AddInitCommand(CLI::App& app, CommandLine& cli);
void AddReindexCommand(CLI::App& app, CommandLine& cli);
void AddLedgerQueryCommands(CLI::App& app, CommandLine& cli);  // log, show
void AddRemoteCommands(CLI::App& app, CommandLine& cli);       // remote add, push, pull
void AddCheckpointCommands(CLI::App& attest, CommandLine& cli);  // attest checkpoint, attest cosign
void AddVerifyLedgerCommand(CLI::App& verify, CommandLine& cli);
void AddKeyCommand(CLI::App& app, CommandLine& cli);
void AddTrustCommand(CLI::App& app, CommandLine& cli);
void AddSignCommand(CLI::App& app, CommandLine& cli);
void AddVerifySignatureCommand(CLI::App& verify, CommandLine& cli);
void AddDiffCommand(CLI::App& app, CommandLine& cli);
void AddVerifyLfsCommand(CLI::App& verify, CommandLine& cli);
void AddForensicsCommand(CLI::App& app, CommandLine& cli);
void AddLineageCommand(CLI::App& app, CommandLine& cli);
void AddCompareTranscriptsCommand(CLI::App& app, CommandLine& cli);
void AddObserveCommand(CLI::App& app, CommandLine& cli);
void AddHistoryCommand(CLI::App& app, CommandLine& cli);
void AddReportCommand(CLI::App& app, CommandLine& cli);

// kInvalidInput when the text a user gives for a record (--name, --revision,
// --endpoint ...) holds a control character: what a record says is shown on
// terminals, and must not be able to forge a line there.
inline Status CheckRecordText(const char* flag, const std::string& value) {
  if (!HasControlCharacters(value)) return Status::Ok();
  return Status::InvalidInput(std::string(flag) + " '" + Printable(value) +
                              "' holds a control character; a name in a record must be printable text");
}

// Prints "assay: warning: MESSAGE" on stderr, MESSAGE shown through Printable.
void Warn(const std::string& message);

// printf for human output: every string argument is shown through Printable
// (src/printable.h), because the format is ours and the arguments may come
// from a record, a log or a file name. JSON and raw exports are written with
// std::printf/fputs: JSON escapes by its own rules.
template <typename... Args>
void PrintTo(std::FILE* stream, const char* format, const Args&... args) {
  std::fputs(Format(format, args...).c_str(), stream);
}
template <typename... Args>
void Print(const char* format, const Args&... args) {
  PrintTo(stdout, format, args...);
}

}  // namespace assay::cli
