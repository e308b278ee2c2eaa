#include "ops/demo.h"

#include <filesystem>

#include "claim/synthetic_eval.h"
#include "claim/synthetic_lm_eval.h"
#include "evallog/jsonl_transcript.h"
#include "formats/lfs_pointer.h"
#include "json/strict_json.h"
#include "ledger/repository_writer.h"
#include "model/synthetic_model.h"
#include "utc_time.h"
#include "ops/key_ops.h"
#include "ops/key_ring.h"
#include "ops/trust_ops.h"

namespace assay {
namespace {

constexpr char kModelName[] = "demo/vendor-model";

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

// A party's key and trust entry, made by the library's own key and trust
// operations; a key kept from an earlier run is reused.
Result<DemoParty> SetUpParty(Context& context, const std::string& dir, const std::string& name, TrustRole role) {
  const std::string key_file = dir + "/keys/" + name + ".key";
  if (context.fs.FollowStatus(key_file).ok()) {
    ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* kept, context.keys.Unlock(key_file));
    return DemoParty{"demo-" + name, role, key_file, PublicKeyPathFor(key_file), kept->public_key(), true,
                     context.paths.trust_file};
  }
  // Throwaway keys in a demo folder, unencrypted; real keys are encrypted.
  GenerateKeyRequest generate;
  generate.key_file = key_file;
  generate.unencrypted = true;
  ASSAY_ASSIGN_OR_RETURN(GeneratedKey generated, GenerateKey(context, generate));
  DemoParty party{"demo-" + name, role, key_file, generated.summary.public_key_file, generated.summary.key, false,
                  context.paths.trust_file};
  TrustAddRequest trust;
  trust.name = party.name;
  trust.roles = {std::string(TrustRoleName(role))};
  trust.public_key = EncodeMinisignPublicKey(party.key);
  ASSAY_RETURN_IF_ERROR(TrustAdd(context, trust).status());
  return party;
}

Result<AttestedModel> AttestDemoModel(Context& context, const std::string& folder, const std::string& revision) {
  AttestModelRequest request;
  request.folder = folder;
  request.name = kModelName;
  request.revision = revision;
  request.output_path = folder + ".record.json";
  request.use_cache = false;  // the demo shows a full hash
  return AttestModel(context, request);
}

Status WriteTranscript(Context& context, const std::string& path, double accuracy, uint64_t seed,
                       uint64_t num_fewshot = 5, std::optional<int64_t> started = std::nullopt) {
  SyntheticEvalSpec spec;
  spec.accuracy = accuracy;
  spec.seed = seed;
  spec.num_fewshot = num_fewshot;
  spec.started = started;
  spec.model_name = kModelName;
  return context.fs.WriteFileAtomically(path, FormatJsonlTranscript(SyntheticEvalRun(spec)), 0644);
}

// This very program, as the printed commands name it.
std::string ThisProgram(Context& context) {
  Result<std::string> self = context.fs.ReadSymlink("/proc/self/exe");
  if (!self.ok()) return "assay";
  Result<std::string> here = context.fs.CanonicalPath(".");
  if (!here.ok()) return *self;
  const std::filesystem::path relative = std::filesystem::path(*self).lexically_relative(*here);
  if (relative.empty() || relative.string().starts_with("..")) return *self;
  return (std::filesystem::path(".") / relative).string();
}

// The demo's config and index files are a few hundred bytes.
constexpr uint64_t kMaxHubFileBytes = 1 << 20;

// One upload as the Hub keeps it: weight files as Git LFS pointers to the
// bytes the vendor attested, every other file as it is.
Result<RepositoryCommit> HubUpload(Context& context, const std::string& folder, const ModelManifest& manifest,
                                const std::string& message, const std::string& time) {
  RepositoryCommit commit{{}, message, "Demo Vendor", "release@vendor.example", *ParseIsoTime(time)};
  for (const FileRecord& file : manifest.files) {
    std::string content;
    if (file.format == WeightFormat::kOther) {
      ASSAY_ASSIGN_OR_RETURN(content, ReadWholeFile(context.fs, folder + "/" + file.path, kMaxHubFileBytes));
    } else {
      content = FormatLfsPointer(LfsPointer{std::string(kLfsSpecV1), file.sha256, file.size, {}});
    }
    commit.files.push_back({file.path, std::move(content)});
  }
  return commit;
}

std::vector<std::string> ExploreFurther(const std::string& assay, const std::string& dir, const std::string& claim,
                                        const std::string& group_claim) {
  const std::string ledger = dir + "/ledger", trust = dir + "/trust";
  const std::string common = " --ledger " + ledger + " --trust " + trust;
  const std::string id = claim.substr(0, 16), opening = dir + "/vendor-claim.transcript.jsonl";
  const std::string v1 = dir + "/vendor-model", v2 = dir + "/vendor-model-v2";
  return {
      assay + " status demo/vendor-model@v1" + common,
      assay + " verify claim " + id + common + " --transcript " + opening,
      assay + " verify claim " + group_claim.substr(0, 16) + common + " --transcript " + dir + "/vendor-mmlu.transcript.jsonl",
      assay + " verify model " + v1 + ".record.json " + dir + "/evaluator-download --trust " + trust,
      assay + " diff " + v1 + ".record.json " + v2 + ".record.json",
      assay + " prove sample " + id + " q00042 --transcript " + opening + " --ledger " + ledger + " > q00042.proof.json",
      assay + " verify sample q00042.proof.json" + common,
      assay + " export " + id + " --bundle claim.intoto.jsonl" + common,
      assay + " history demo/vendor-model" + common,
      assay + " report demo/vendor-model@v1 -o report.html" + common,
      assay + " compare-transcripts " + dir + "/evaluator-eval.jsonl " + dir + "/endpoint-eval.jsonl --baseline " + dir +
          "/evaluator-eval-rerun.jsonl --top 3",
      assay + " log --ledger " + ledger,
      "git -C " + ledger + " log --oneline",
  };
}

}  // namespace

Result<DemoStory> RunDemo(Context& outer, const DemoRequest& request) {
  ASSAY_RETURN_IF_ERROR(outer.fs.CreateDirectories(request.dir));
  DemoStory story;
  ASSAY_ASSIGN_OR_RETURN(story.dir, outer.fs.CanonicalPath(request.dir));
  const std::string& dir = story.dir;
  if (outer.fs.LinkStatus(dir + "/ledger").ok()) {
    return Status::InvalidInput(dir + ": a demo already ran here").WithHint("remove the folder, or pass --dir NEW");
  }
  MinisignKeyFiles demo_keys(outer.fs, PassphraseSources{});  // the demo's keys are unencrypted
  Context vendor{DemoPaths(dir), outer.fs, outer.clock, demo_keys, outer.output};
  Context evaluator = vendor;
  evaluator.paths.key_file = dir + "/keys/evaluator.key";
  auto step = [&story](std::string title, auto result) {
    story.steps.push_back(DemoStep{std::move(title), std::move(result)});
  };

  std::vector<std::string> repairs;
  ASSAY_RETURN_IF_ERROR(Ledger::Create(LedgerLocation{vendor.paths.ledger, false, vendor.paths.cache_dir}, &repairs).status());
  for (const std::string& repair : repairs) outer.output.Warn(repair);
  step("the demo keeps its own ledger, a git repository of signed records", DemoLedger{vendor.paths.ledger});

  std::vector<DemoParty> parties;
  ASSAY_ASSIGN_OR_RETURN(DemoParty vendor_party, SetUpParty(vendor, dir, "vendor", TrustRole::kVendor));
  ASSAY_ASSIGN_OR_RETURN(DemoParty evaluator_party, SetUpParty(vendor, dir, "evaluator", TrustRole::kEvaluator));
  step("a vendor and an evaluator make signing keys; the demo's trust file names their roles",
       std::vector<DemoParty>{std::move(vendor_party), std::move(evaluator_party)});

  const std::string v1 = dir + "/vendor-model", v2 = dir + "/vendor-model-v2";
  SyntheticModelSpec model;
  model.shards = 2;
  ASSAY_RETURN_IF_ERROR(WriteSyntheticModel(v1, model));
  ASSAY_ASSIGN_OR_RETURN(AttestedModel first, AttestDemoModel(vendor, v1, "v1"));
  const ModelManifest first_manifest = first.manifest;
  step("the vendor attests the exact weights of its model, v1", std::move(first));

  // An MMLU-shaped group, as lm-eval writes a run of it with --log_samples.
  SyntheticLmEvalSpec group_run;
  group_run.tasks = {{"demo_mmlu_anatomy", 60, 0.75}, {"demo_mmlu_astronomy", 40, 0.6},
                     {"demo_mmlu_law", 80, 0.55}, {"demo_mmlu_philosophy", 50, 0.7}};
  group_run.group_subtasks = {{"demo_mmlu", {"demo_mmlu_stem", "demo_mmlu_humanities"}},
                              {"demo_mmlu_stem", {"demo_mmlu_anatomy", "demo_mmlu_astronomy"}},
                              {"demo_mmlu_humanities", {"demo_mmlu_law", "demo_mmlu_philosophy"}}};
  group_run.model_name = kModelName;
  group_run.stamp = "2026-01-01T12-00-00.000000";
  const std::string group_folder = dir + "/vendor-lm-eval/demo__vendor-model";
  ASSAY_RETURN_IF_ERROR(WriteSyntheticLmEvalRun(vendor.fs, group_folder, group_run).status());
  AttestClaimRequest group_claim;
  group_claim.logs = {group_folder};
  group_claim.model = std::string(kModelName) + "@v1";
  group_claim.tasks = {"demo_mmlu"};
  group_claim.transcript_out = dir + "/vendor-mmlu.transcript.jsonl";
  ASSAY_ASSIGN_OR_RETURN(AttestedClaim group_claimed, AttestClaim(vendor, group_claim));
  const std::string group_claim_id = group_claimed.published.id;
  step("the vendor claims demo_mmlu, a group of 4 tasks in 2 subgroups, from lm-eval's run folder: every task's "
       "samples, each score recomputed",
       std::move(group_claimed));

  AttestClaimRequest claim;
  claim.logs = {dir + "/vendor-eval.jsonl"};
  claim.model = std::string(kModelName) + "@v1";
  claim.transcript_out = dir + "/vendor-claim.transcript.jsonl";
  ASSAY_RETURN_IF_ERROR(WriteTranscript(vendor, claim.logs.front(), 0.80, 1));
  ASSAY_ASSIGN_OR_RETURN(AttestedClaim claimed, AttestClaim(vendor, claim));
  const std::string claim_id = claimed.published.id;
  step("the vendor claims 80.0 on demo-qa, backed by its 500-sample transcript", std::move(claimed));

  SyntheticModelSpec changed = model;
  changed.changed_tensors = {"model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.v_proj.weight"};
  ASSAY_RETURN_IF_ERROR(WriteSyntheticModel(v2, changed));
  ASSAY_ASSIGN_OR_RETURN(AttestedModel second, AttestDemoModel(vendor, v2, "v2"));
  const ModelManifest second_manifest = second.manifest;
  step("a \"re-upload\", v2, quietly changes two tensors; the vendor attests it under the same name", std::move(second));

  AttestReproductionRequest reproduction;
  reproduction.claim = claim_id;
  reproduction.logs = {dir + "/evaluator-eval.jsonl"};
  reproduction.weights_dir = dir + "/evaluator-download";
  reproduction.claim_transcript = claim.transcript_out;
  reproduction.transcript_out = dir + "/evaluator.transcript.jsonl";
  // The download: v1's bytes exactly (the generator is deterministic).
  ASSAY_RETURN_IF_ERROR(WriteSyntheticModel(reproduction.weights_dir, model));
  ASSAY_RETURN_IF_ERROR(WriteTranscript(evaluator, reproduction.logs.front(), 0.70, 2));
  ASSAY_ASSIGN_OR_RETURN(AttestedReproduction reproduced, AttestReproduction(evaluator, reproduction));
  step("the evaluator downloads v1, re-runs demo-qa, scores 70.0, and countersigns", std::move(reproduced));

  // The evaluator's own lm-eval run of the group, on the same download; greedy
  // decoding of the same weights answers as the vendor's run did.
  SyntheticLmEvalSpec group_rerun = group_run;
  group_rerun.stamp = "2026-01-03T09-30-00.000000";
  const std::string group_rerun_folder = dir + "/evaluator-lm-eval/demo__vendor-model";
  ASSAY_RETURN_IF_ERROR(WriteSyntheticLmEvalRun(evaluator.fs, group_rerun_folder, group_rerun).status());
  AttestReproductionRequest group_reproduction = reproduction;
  group_reproduction.claim = group_claim_id;
  group_reproduction.logs = {group_rerun_folder};
  group_reproduction.claim_transcript = group_claim.transcript_out;
  group_reproduction.transcript_out = dir + "/evaluator-mmlu.transcript.jsonl";
  ASSAY_ASSIGN_OR_RETURN(AttestedReproduction group_reproduced, AttestReproduction(evaluator, group_reproduction));
  step("the evaluator re-runs demo_mmlu: its 230 samples pair with the claim's across all 4 tasks, and the group and "
       "each task get a verdict",
       std::move(group_reproduced));

  // A rerun with no examples in the prompt measures something else, whatever its score.
  AttestReproductionRequest zero_shot = reproduction;
  zero_shot.logs = {dir + "/evaluator-eval-0shot.jsonl"};
  zero_shot.transcript_out = dir + "/evaluator-0shot.transcript.jsonl";
  ASSAY_RETURN_IF_ERROR(WriteTranscript(evaluator, zero_shot.logs.front(), 0.62, 3, /*num_fewshot=*/0));
  ASSAY_ASSIGN_OR_RETURN(AttestedReproduction zero_shot_reproduced, AttestReproduction(evaluator, zero_shot));
  step("a second rerun, 0-shot where the claim was 5-shot, is NOT COMPARABLE: its 62.0 is kept beside the verdict",
       std::move(zero_shot_reproduced));

  ASSAY_ASSIGN_OR_RETURN(ModelStatus status, StatusOfModel(vendor, StatusRequest{claim.model, {}}));
  step("assay status: every claim about the weights, its reproductions and the verdict", std::move(status));

  // The Hub, the host and the API. The vendor's repository as a pointer clone:
  // v1; v2, which changed two tensors; and a third upload that changes only
  // config.json and re-commits v2's weight pointers.
  Context auditor = vendor, host = vendor;
  auditor.paths.key_file = dir + "/keys/auditor.key";
  host.paths.key_file = dir + "/keys/host.key";
  ASSAY_ASSIGN_OR_RETURN(DemoParty auditor_party, SetUpParty(vendor, dir, "auditor", TrustRole::kObserver));
  ASSAY_ASSIGN_OR_RETURN(DemoParty host_party, SetUpParty(vendor, dir, "host", TrustRole::kHost));
  step("an auditor (role observer) and a hosting provider (role host) join the trust file",
       std::vector<DemoParty>{std::move(auditor_party), std::move(host_party)});
  const std::string hub = dir + "/hub-checkout";
  std::vector<RepositoryCommit> uploads;
  ASSAY_ASSIGN_OR_RETURN(RepositoryCommit upload_1, HubUpload(vendor, v1, first_manifest, "v1", "2026-01-01T09:00:00Z"));
  ASSAY_ASSIGN_OR_RETURN(RepositoryCommit upload_2,
                         HubUpload(vendor, v2, second_manifest, "re-upload: fixed weights", "2026-01-02T15:00:00Z"));
  RepositoryCommit upload_3 = upload_2;
  upload_3.message = "re-upload: config only";
  upload_3.time = *ParseIsoTime("2026-01-03T09:00:00Z");
  for (RepositoryFile& file : upload_3.files) {
    if (file.name != "config.json") continue;
    // A longer context through RoPE scaling: a different model, the same weights.
    ASSAY_ASSIGN_OR_RETURN(nlohmann::json config, ParseStrictJson(file.content));
    config["max_position_embeddings"] = 32768;
    config["rope_scaling"] = {{"rope_type", "linear"}, {"factor", 4.0}};
    file.content = config.dump(2) + "\n";
  }
  ASSAY_RETURN_IF_ERROR(WriteRepository(hub, {std::move(upload_1), std::move(upload_2), std::move(upload_3)}));
  ASSAY_ASSIGN_OR_RETURN(ObserveOutcome observed,
                         Observe(auditor, ObserveRequest{hub, "", std::string("hf:") + kModelName}));
  step("the vendor's Hub repository had three uploads in three days; the auditor observes it: one signed record per "
       "revision, with every file's pointer",
       std::move(observed));

  AttestDeploymentRequest deployment{"demo-host/vendor-model", std::string(kModelName) + "@v2", "2026-01-02T16:00:00Z",
                                     "", ""};
  ASSAY_ASSIGN_OR_RETURN(AttestedDeployment deployed, AttestDeployment(host, deployment));
  step("the host signs that its endpoint demo-host/vendor-model served v2 from 2026-01-02 16:00", std::move(deployed));

  AttestClaimRequest endpoint_claim;
  endpoint_claim.logs = {dir + "/endpoint-eval.jsonl"};
  endpoint_claim.endpoint = deployment.endpoint;
  endpoint_claim.transcript_out = dir + "/endpoint-claim.transcript.jsonl";
  // Run two hours into the deployment, as the run's log records it.
  ASSAY_RETURN_IF_ERROR(WriteTranscript(vendor, endpoint_claim.logs.front(), 0.92, 4, 5, *ParseIsoTime("2026-01-02T18:00:00Z")));
  ASSAY_ASSIGN_OR_RETURN(AttestedClaim endpoint_claimed, AttestClaim(vendor, endpoint_claim));
  step("the vendor claims 92.0 on demo-qa for its API, the endpoint", std::move(endpoint_claimed));

  // Greedy decoding of the published weights answers the same on a second
  // run; the endpoint answers otherwise on a third of the prompts.
  AttestComparisonRequest comparison;
  comparison.sides.a_path = reproduction.logs.front();
  comparison.sides.b_path = endpoint_claim.logs.front();
  comparison.sides.baseline_files = {dir + "/evaluator-eval-rerun.jsonl"};
  comparison.endpoint = deployment.endpoint;
  comparison.model = std::string(kModelName) + "@v1";
  comparison.openings_folder = dir;
  ASSAY_RETURN_IF_ERROR(WriteTranscript(evaluator, comparison.sides.baseline_files.front(), 0.70, 2));
  ASSAY_ASSIGN_OR_RETURN(AttestedComparison compared, AttestComparison(evaluator, comparison));
  step("the evaluator compares the endpoint's answers with its own run of v1 and a second run of it, and signs the "
       "test's finding",
       std::move(compared));

  ASSAY_ASSIGN_OR_RETURN(ModelHistory history, LoadModelHistory(vendor, HistoryRequest{kModelName, {}}));
  step("assay history: which bytes were on the Hub when, who hashed them, what named them", std::move(history));

  story.commands =
      ExploreFurther(request.program.empty() ? ThisProgram(outer) : request.program, dir, claim_id, group_claim_id);
  return story;
}

}  // namespace assay
