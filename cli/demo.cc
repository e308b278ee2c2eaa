// assay demo: the README's main job. In a folder of its own (kept afterwards,
// ./assay-demo by default) with its own keys, trust file and ledger, it tells
// the whole story with generated data and real signatures: a vendor attests a
// small model and claims a score backed by a transcript; a "re-upload" with
// changed tensors is attested under the same name; an evaluator checks the
// weights, re-runs the eval (a lower score) and countersigns "not
// reproduced"; and `assay status` shows the verdict and the changed upload.
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "attest/attest_claim.h"
#include "attest/attest_reproduction.h"
#include "attest/key.h"
#include "attest/trust.h"
#include "claim/synthetic_eval.h"
#include "cli/command.h"
#include "evallog/jsonl_transcript.h"
#include "ledger/ledger_store.h"
#include "model/synthetic_model.h"
#include "ops/attest_model.h"
#include "render/model_render.h"
#include "verify/status.h"

namespace assay::cli {
namespace {

struct DemoOptions {
  std::string dir = "assay-demo";
};

void Step(const char* text) { Print("\n== %s\n", text); }

// A party's key and trust entry; kept from an earlier run, so the demo can run again.
Status SetUpParty(const std::string& dir, const std::string& name, const std::string& role) {
  const std::string key_path = dir + "/keys/" + name + ".key";
  if (::access(key_path.c_str(), F_OK) == 0) {
    Print("reusing the %s key %s\n", name, key_path);
    return Status::Ok();
  }
  GenerateOptions key;
  key.key.key_path = key_path;
  key.unencrypted = true;  // throwaway keys in a demo folder; real keys are encrypted
  ASSAY_RETURN_IF_ERROR(RunGenerate(key));
  TrustAddOptions trust;
  trust.trust_path = dir + "/trust";
  trust.name = "demo-" + name;
  trust.roles = {role};
  trust.key_file = PublicKeyPathFor(key_path);
  return RunTrustAdd(trust);
}

// The demo's own world: its folder's ledger, trust file, cache and keys.
Paths DemoPaths(const std::string& dir) {
  Paths paths;
  paths.config_dir = dir;
  paths.cache_dir = dir + "/cache";
  paths.ledger = dir + "/ledger";
  paths.trust_file = dir + "/trust";
  paths.key_file = dir + "/keys/vendor.key";
  return paths;
}

Status AttestDemoModel(Context& context, const std::string& folder, const std::string& revision) {
  AttestModelRequest request;
  request.folder = folder;
  request.name = "demo/vendor-model";
  request.revision = revision;
  request.output_path = folder + ".record.json";
  request.use_cache = false;  // the demo shows a full hash
  ASSAY_ASSIGN_OR_RETURN(AttestedModel attested, AttestModel(context, request));
  Emit(RenderText(attested));
  return Status::Ok();
}

Status WriteTranscript(const std::string& path, double accuracy, uint64_t seed) {
  SyntheticEvalSpec spec;
  spec.accuracy = accuracy;
  spec.seed = seed;
  spec.model_name = "demo/vendor-model";
  return LocalFileSystem().WriteFileAtomically(path, FormatJsonlTranscript(SyntheticEvalRun(spec)), 0644);
}

Status RunDemo(Context& outer, const DemoOptions& options) {
  const std::string dir = std::filesystem::absolute(options.dir).lexically_normal().string();
  const std::string ledger = dir + "/ledger";
  const std::string trust = dir + "/trust";
  const std::string v1 = dir + "/vendor-model", v2 = dir + "/vendor-model-v2";
  const std::string download = dir + "/evaluator-download";
  const std::string vendor_log = dir + "/vendor-eval.jsonl", evaluator_log = dir + "/evaluator-eval.jsonl";
  const std::string vendor_opening = dir + "/vendor-claim.transcript.jsonl";
  const std::string evaluator_opening = dir + "/evaluator.transcript.jsonl";
  if (::access(ledger.c_str(), F_OK) == 0) {
    return Status::InvalidInput(dir + ": a demo already ran here; remove the folder or pass --dir NEW");
  }
  // Everything the demo makes stays in its folder, the ledger's query index too.
  ::setenv("ASSAY_CACHE_DIR", (dir + "/cache").c_str(), /*overwrite=*/1);
  MinisignKeyFiles demo_keys(outer.fs, PassphraseSources{});  // the demo's keys are unencrypted
  Context context{DemoPaths(dir), outer.fs, outer.clock, demo_keys, outer.output};

  Step("the demo keeps its own ledger, a git repository of signed records");
  ASSAY_RETURN_IF_ERROR(LedgerStore::Init(ledger).status());
  Print("ledger     %s\n", ledger);

  Step("a vendor and an evaluator make signing keys; the demo's trust file names their roles");
  ASSAY_RETURN_IF_ERROR(SetUpParty(dir, "vendor", "vendor"));
  ASSAY_RETURN_IF_ERROR(SetUpParty(dir, "evaluator", "evaluator"));

  Step("the vendor attests the exact weights of its model, v1");
  SyntheticModelSpec model;
  model.shards = 2;
  ASSAY_RETURN_IF_ERROR(WriteSyntheticModel(v1, model));
  ASSAY_RETURN_IF_ERROR(AttestDemoModel(context, v1, "v1"));

  Step("the vendor claims 80.0 on demo-qa, backed by its 500-sample transcript");
  ASSAY_RETURN_IF_ERROR(WriteTranscript(vendor_log, 0.80, 1));
  AttestClaimOptions claim;
  claim.logs = {vendor_log};
  claim.model = "demo/vendor-model@v1";
  claim.transcript_out = vendor_opening;
  claim.out.key.key_path = dir + "/keys/vendor.key";
  claim.out.ledger.path = ledger;
  claim.out.trust_path = trust;
  ASSAY_ASSIGN_OR_RETURN(std::string claim_id, RunAttestClaim(claim));

  Step("a \"re-upload\", v2, quietly changes two tensors; the vendor attests it under the same name");
  SyntheticModelSpec changed = model;
  changed.changed_tensors = {"model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.v_proj.weight"};
  ASSAY_RETURN_IF_ERROR(WriteSyntheticModel(v2, changed));
  ASSAY_RETURN_IF_ERROR(AttestDemoModel(context, v2, "v2"));

  Step("the evaluator downloads v1, re-runs demo-qa, scores 70.0, and countersigns");
  std::filesystem::copy(v1, download, std::filesystem::copy_options::recursive);
  ASSAY_RETURN_IF_ERROR(WriteTranscript(evaluator_log, 0.70, 2));
  AttestReproductionOptions reproduction;
  reproduction.claim = claim_id;
  reproduction.logs = {evaluator_log};
  reproduction.weights_dir = download;
  reproduction.claim_transcript = vendor_opening;
  reproduction.transcript_out = evaluator_opening;
  reproduction.out.key.key_path = dir + "/keys/evaluator.key";
  reproduction.out.ledger.path = ledger;
  reproduction.out.trust_path = trust;
  ASSAY_RETURN_IF_ERROR(RunAttestReproduction(reproduction));

  Step("assay status: every claim about the weights, its reproductions and the verdict");
  StatusOptions status;
  status.model = "demo/vendor-model@v1";
  status.ledger.path = ledger;
  status.trust_path = trust;
  ASSAY_RETURN_IF_ERROR(RunStatus(status));

  // The commands name this very binary, so they work as printed even when
  // assay is not on PATH (the README runs ./build/assay demo).
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::filesystem::path relative = self.lexically_relative(std::filesystem::current_path());
  if (!relative.empty() && !relative.string().starts_with("..")) self = "./" / relative;
  const std::string assay = error ? "assay" : self.string();
  const std::string common = " --ledger " + ledger + " --trust " + trust;
  Print("\nexplore further (the demo's records live in %s):\n", dir);
  Print("  %s status demo/vendor-model@v1%s\n", assay, common);
  Print("  %s verify claim %.16s%s --transcript %s\n", assay, claim_id, common, vendor_opening);
  Print("  %s verify model %s.record.json %s --trust %s\n", assay, v1, download, trust);
  Print("  %s diff %s.record.json %s.record.json\n", assay, v1, v2);
  Print("  %s prove sample %.16s q00042 --transcript %s --ledger %s > q00042.proof.json\n", assay,
              claim_id, vendor_opening, ledger);
  Print("  %s verify sample q00042.proof.json%s\n", assay, common);
  Print("  %s export %.16s --bundle claim.intoto.jsonl%s\n", assay, claim_id, common);
  Print("  %s log --ledger %s\n", assay, ledger);
  Print("  git -C %s log --oneline\n", ledger);
  return Status::Ok();
}

}  // namespace

void AddDemoCommand(CLI::App& app, CommandLine& cli) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* command =
      app.add_subcommand("demo", "the whole story on generated data: claim, re-upload, reproduction, status (./assay-demo)");
  command->add_option("--dir", options->dir, "folder for the demo (kept afterwards)");
  cli.OnRun(command, [options](Context& context) { return RunDemo(context, *options); });
}

}  // namespace assay::cli
