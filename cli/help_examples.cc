// Every command's --help ends with an example that runs as printed in a
// folder where `assay demo` ran (tests/e2e/help_examples_test.sh runs each
// one, in a fresh copy of such a folder). Kept in one table so that they
// read alike and none is missing.
#include "cli/help_examples.h"

#include <map>
#include <string>
#include <vector>

#include "render/text.h"

namespace assay::cli {
namespace {

constexpr char kHeader[] = "Example (in a folder where 'assay demo' ran):";

#define DEMO_LEDGER " --ledger assay-demo/ledger"
#define DEMO_TRUST " --trust assay-demo/trust"
#define DEMO_BOTH DEMO_LEDGER DEMO_TRUST
// The vendor's demo-qa claim about v1: the oldest (the log lists the newest first).
#define DEMO_CLAIM \
  "claim=$(assay log" DEMO_LEDGER " | awk '$4 == \"claim\" && $5 == \"demo-qa\" {id = $2} END {print id}')"
#define SHARED_REMOTE "git init -q --bare shared-ledger.git", "assay remote add origin shared-ledger.git" DEMO_LEDGER
#define A_SIGNED_FILE "echo 'release notes' > notes.txt", "assay sign notes.txt --key assay-demo/keys/vendor.key"
#define A_CHECKPOINT "assay attest checkpoint" DEMO_LEDGER " --key assay-demo/keys/vendor.key -o checkpoint.note"
#define A_SAMPLE_PROOF \
  DEMO_CLAIM, "assay prove sample \"$claim\" q00042 --transcript assay-demo/vendor-claim.transcript.jsonl" DEMO_LEDGER \
              " > q00042.proof.json"

// By the command's path ("attest model"), the lines of its example.
const std::map<std::string, std::vector<std::string>>& Examples() {
  static const std::map<std::string, std::vector<std::string>> kExamples = {
      {"init", {"assay init my-ledger"}},
      {"reindex", {"assay reindex" DEMO_LEDGER}},
      {"log", {"assay log" DEMO_BOTH " --limit 5"}},
      {"show", {"assay show \"$(assay log" DEMO_LEDGER " --limit 1 | awk '{print $2}')\"" DEMO_LEDGER}},
      {"remote add", {SHARED_REMOTE}},
      {"push", {SHARED_REMOTE, "assay push" DEMO_LEDGER}},
      {"pull",
       {SHARED_REMOTE, "assay push" DEMO_LEDGER, "assay init my-copy", "assay remote add origin shared-ledger.git --ledger my-copy",
        "assay pull --ledger my-copy" DEMO_TRUST " --key assay-demo/keys/evaluator.key"}},
      {"attest model",
       {"assay attest model assay-demo/vendor-model --name demo/vendor-model --revision v1"
        " --key assay-demo/keys/vendor.key" DEMO_LEDGER}},
      {"attest claim",
       {"assay attest claim assay-demo/vendor-eval.jsonl --model demo/vendor-model@v1 --again"
        " --key assay-demo/keys/vendor.key" DEMO_BOTH}},
      {"attest reproduction",
       {DEMO_CLAIM,
        "assay attest reproduction \"$claim\" assay-demo/evaluator-eval.jsonl --weights assay-demo/evaluator-download"
        " --claim-transcript assay-demo/vendor-claim.transcript.jsonl --key assay-demo/keys/evaluator.key" DEMO_BOTH}},
      {"attest plan",
       {"printf '%s\\n' '{\"model\": {\"name\": \"demo/vendor-model\"}, \"margin\": 2,'"
        " ' \"benchmarks\": [{\"name\": \"demo-qa\", \"metrics\": [\"acc\"]}]}' > plan.json",
        "assay attest plan plan.json --key assay-demo/keys/vendor.key" DEMO_BOTH}},
      {"attest deployment",
       {"assay attest deployment --endpoint demo-host/vendor-model --model demo/vendor-model@v1"
        " --from 2026-02-01T00:00:00Z --key assay-demo/keys/host.key" DEMO_BOTH}},
      {"attest comparison",
       {"assay attest comparison assay-demo/evaluator-eval.jsonl assay-demo/endpoint-eval.jsonl"
        " --baseline assay-demo/evaluator-eval-rerun.jsonl --endpoint demo-host/vendor-model"
        " --model demo/vendor-model@v1 --key assay-demo/keys/evaluator.key" DEMO_BOTH}},
      {"attest revocation",
       {"comparison=$(assay log" DEMO_LEDGER " | awk '$4 == \"comparison\" {print $2; exit}')",
        "assay attest revocation \"$comparison\" --reason \"the endpoint's run was cut short\""
        " --key assay-demo/keys/evaluator.key" DEMO_BOTH}},
      {"attest checkpoint", {A_CHECKPOINT}},
      {"attest cosign",
       {A_CHECKPOINT,
        "assay attest cosign checkpoint.note --key assay-demo/keys/auditor.key" DEMO_BOTH " -o cosigned.note"}},
      {"verify model",
       {"assay verify model assay-demo/vendor-model.record.json assay-demo/evaluator-download" DEMO_TRUST}},
      {"verify ledger", {"assay verify ledger" DEMO_BOTH}},
      {"verify claim",
       {DEMO_CLAIM, "assay verify claim \"$claim\" --transcript assay-demo/vendor-claim.transcript.jsonl" DEMO_BOTH}},
      {"prove sample", {A_SAMPLE_PROOF}},
      {"verify sample", {A_SAMPLE_PROOF, "assay verify sample q00042.proof.json" DEMO_BOTH}},
      {"verify signature", {A_SIGNED_FILE, "assay verify signature notes.txt" DEMO_TRUST}},
      {"verify lfs",
       {"GIT_LFS_SKIP_SMUDGE=1 git clone -q assay-demo/hub-checkout widget", "git -C widget checkout -q HEAD~1",
        "assay verify lfs widget --record assay-demo/vendor-model-v2.record.json" DEMO_TRUST}},
      {"status", {"assay status demo/vendor-model@v1" DEMO_BOTH}},
      {"export", {DEMO_CLAIM, "assay export \"$claim\" --bundle claim.intoto.jsonl" DEMO_BOTH}},
      {"diff",
       {"assay diff assay-demo/vendor-model.record.json assay-demo/vendor-model-v2.record.json" DEMO_TRUST}},
      {"forensics", {"assay forensics assay-demo/vendor-model assay-demo/vendor-model-v2"}},
      {"lineage", {"assay lineage assay-demo/vendor-model-v2 --against demo/vendor-model@v1" DEMO_BOTH}},
      {"compare-transcripts",
       {"assay compare-transcripts assay-demo/evaluator-eval.jsonl assay-demo/endpoint-eval.jsonl"
        " --baseline assay-demo/evaluator-eval-rerun.jsonl --top 3"}},
      {"observe",
       {"assay observe assay-demo/hub-checkout --source hf:demo/vendor-model --key assay-demo/keys/auditor.key"
        DEMO_BOTH}},
      {"history", {"assay history demo/vendor-model" DEMO_BOTH}},
      {"report", {"assay report demo/vendor-model@v1 -o report.html" DEMO_BOTH}},
      {"key generate", {"assay key generate --key my.key --unencrypted"}},
      {"key show", {"assay key show --key assay-demo/keys/vendor.key"}},
      {"key export-public", {"assay key export-public --key assay-demo/keys/vendor.key"}},
      {"trust add", {"assay trust add alice --role evaluator --key-file assay-demo/keys/evaluator.pub --trust my-trust"}},
      {"trust list", {"assay trust list" DEMO_TRUST}},
      {"trust remove", {"assay trust remove demo-host" DEMO_TRUST}},
      {"trust export", {"assay trust export" DEMO_TRUST " -o allowed_signers"}},
      {"sign", {A_SIGNED_FILE}},
      {"demo", {"assay demo --dir another-demo"}},
  };
  return kExamples;
}

void AddTo(CLI::App& command, const std::string& path) {
  const std::vector<CLI::App*> subcommands = command.get_subcommands([](CLI::App*) { return true; });
  for (CLI::App* subcommand : subcommands) AddTo(*subcommand, path + (path.empty() ? "" : " ") + subcommand->get_name());
  if (!subcommands.empty() || path.empty()) return;
  const auto example = Examples().find(path);
  if (example == Examples().end()) return;  // the test names any command without one
  // Each command on lines that fit 80 columns, continued with " \\", so it still runs when copied.
  std::string footer = std::string(kHeader) + "\n";
  for (const std::string& line : example->second) footer += ShellLines(line, 2);
  footer.pop_back();  // CLI11 ends the help with its own line end
  command.footer(footer);
}

}  // namespace

void AddHelpExamples(CLI::App& app) { AddTo(app, ""); }

}  // namespace assay::cli
