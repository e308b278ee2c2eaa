// How a command plugs into the one command table in cli/main.cc: it adds its
// CLI11 subcommand under a parent and, when run, stores its outcome in
// `outcome`; main prints a failed outcome as one "assay: error: ..." line and
// exits with the code cli/exit_codes.h gives its kind.
#pragma once

#include <CLI/CLI.hpp>

#include "status.h"

namespace assay::cli {

// attest/
void AddInitCommand(CLI::App& app, Status& outcome);
void AddReindexCommand(CLI::App& app, Status& outcome);
void AddCheckpointCommands(CLI::App& attest, Status& outcome);
void AddRemoteCommands(CLI::App& app, Status& outcome);
void AddAttestModelCommand(CLI::App& attest, Status& outcome);
void AddKeyCommand(CLI::App& app, Status& outcome);
void AddTrustCommand(CLI::App& app, Status& outcome);
void AddSignCommand(CLI::App& app, Status& outcome);
void AddAttestClaimCommand(CLI::App& attest, Status& outcome);
void AddAttestReproductionCommand(CLI::App& attest, Status& outcome);
// verify/
void AddVerifyModelCommand(CLI::App& verify, Status& outcome);
void AddLedgerQueryCommands(CLI::App& app, Status& outcome);
void AddVerifyLedgerCommand(CLI::App& verify, Status& outcome);
void AddVerifySignatureCommand(CLI::App& verify, Status& outcome);
void AddVerifyClaimCommand(CLI::App& verify, Status& outcome);
void AddSampleProofCommands(CLI::App& app, CLI::App& verify, Status& outcome);  // prove sample, verify sample
void AddStatusCommand(CLI::App& app, Status& outcome);
void AddExportCommand(CLI::App& app, Status& outcome);
void AddDiffCommand(CLI::App& app, Status& outcome);
void AddVerifyLfsCommand(CLI::App& verify, Status& outcome);
void AddForensicsCommand(CLI::App& app, Status& outcome);
void AddLineageCommand(CLI::App& app, Status& outcome);
void AddCompareTranscriptsCommand(CLI::App& app, Status& outcome);
// cli/
void AddDemoCommand(CLI::App& app, Status& outcome);

// Prints "assay: warning: MESSAGE" on stderr.
void Warn(const std::string& message);

}  // namespace assay::cli
