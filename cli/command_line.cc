#include "cli/command.h"

#include <nlohmann/json.hpp>

#include "cli/colour.h"
#include "render/text.h"

namespace assay::cli {

void CommandLine::OnRun(CLI::App* command, Run run) {
  command->callback([this, run = std::move(run)] { chosen = run; });
}

void CommandLine::AddLedgerFlag(CLI::App* command) {
  command->add_option("--ledger", flags.ledger, "ledger folder (env ASSAY_LEDGER; default: the embedded one)");
}

void CommandLine::AddNoLedgerFlag(CLI::App* command) {
  command->add_flag("--no-ledger", flags.no_ledger, "do not append the record to the ledger");
}

void CommandLine::AddTrustFlag(CLI::App* command, const std::string& help) {
  command->add_option("--trust", flags.trust, help + " (env ASSAY_TRUST_FILE; default CONFIG/trust)");
}

void CommandLine::AddCacheDirFlag(CLI::App* command) {
  command->add_option("--cache-dir", flags.cache_dir, "hash cache and index folder (env ASSAY_CACHE_DIR)");
}

void CommandLine::AddKeyFlags(CLI::App* command) {
  command->add_option("--key", flags.key, "secret key file (env ASSAY_KEY; default CONFIG/assay.key)");
  command->add_option("--passphrase-file", flags.passphrase_file,
                      "read the key's passphrase from this file (else env ASSAY_PASSPHRASE, else a prompt)");
}

void CommandLine::AddJsonFlag(CLI::App* command, const std::string& help) {
  command->add_flag("--json", flags.json, help);
}

void CommandLine::AddOutputFlag(CLI::App* command, const std::string& help) {
  command->add_option("-o,--output", flags.output, help);
}

namespace {
bool emit_colour = false;  // set once by main, before a command runs
}  // namespace

void SetEmitColour(bool colour) { emit_colour = colour; }

void Emit(const std::string& text, Lines lines) {
  const std::string fitted = lines == Lines::kFitted ? FitToWidth(text) : text;
  std::fputs((emit_colour ? Coloured(fitted) : fitted).c_str(), stdout);
}

void EmitVerbatim(const std::string& bytes) { std::fwrite(bytes.data(), 1, bytes.size(), stdout); }

void EmitJson(const nlohmann::json& value) { std::printf("%s\n", value.dump(2).c_str()); }

}  // namespace assay::cli
