// The claim operations (src/ops: attest claim and reproduction, verify
// claim, status, export, prove and verify sample, the demo) on a scratch
// ledger with real signatures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "claim/synthetic_eval.h"
#include "evallog/jsonl_transcript.h"
#include "json/strict_json.h"
#include "model/synthetic_model.h"
#include "ops/attest_claim.h"
#include "ops/attest_model.h"
#include "ops/attest_reproduction.h"
#include "ops/demo.h"
#include "ops/export_bundle.h"
#include "ops/model_status.h"
#include "ops/sample_proof_ops.h"
#include "ops/verify_claim.h"
#include "ops_fixture.h"
#include "record/evidence_bundle.h"
#include "sign/dsse.h"
#include "sign/openssh_key.h"

namespace assay {
namespace {

using ::testing::HasSubstr;
using testing::ReadFileOrDie;

class ClaimOps : public testing::OpsFixture {
 protected:
  ClaimOps() {
    AddParty("acme", {TrustRole::kVendor});
    AddParty("eve", {TrustRole::kEvaluator});
    CreateLedger();
    SignAs("acme");
    model_ = Model("model", SyntheticModelSpec{});
    AttestModelRequest request;
    request.folder = model_;
    request.name = "acme/model";
    request.revision = "v1";
    request.use_cache = false;
    EXPECT_TRUE(AttestModel(*context_, request).ok());
  }

  std::string Path(const std::string& name) const { return (dir_.path() / name).string(); }

  std::string Model(const std::string& name, const SyntheticModelSpec& spec) {
    EXPECT_TRUE(WriteSyntheticModel(Path(name), spec).ok());
    return Path(name);
  }

  // A 500-question run scoring `accuracy`, as an assay JSONL transcript.
  std::string Run(const std::string& name, double accuracy, uint64_t seed) {
    SyntheticEvalSpec spec;
    spec.accuracy = accuracy;
    spec.seed = seed;
    spec.model_name = "acme/model";
    return dir_.Write(name, FormatJsonlTranscript(SyntheticEvalRun(spec)));
  }

  AttestClaimRequest Claim(std::string log) {
    AttestClaimRequest request;
    request.logs = {std::move(log)};
    request.model = "acme/model@v1";
    request.transcript_out = Path("claim.opening.jsonl");
    return request;
  }

  // The vendor's claim of 80 % and, signed by `evaluator`, a 70 % re-run on the claim's weights.
  std::string ClaimAndReproduce(const std::string& evaluator) {
    SignAs("acme");
    Result<AttestedClaim> claimed = AttestClaim(*context_, Claim(Run("vendor.jsonl", 0.8, 1)));
    EXPECT_TRUE(claimed.ok()) << claimed.status().message();
    SignAs(evaluator);
    AttestReproductionRequest request;
    request.claim = claimed->published.id.substr(0, 12);
    request.logs = {Run("evaluator.jsonl", 0.7, 2)};
    request.weights_dir = model_;
    request.claim_transcript = Path("claim.opening.jsonl");
    request.transcript_out = Path("reproduction.opening.jsonl");
    Result<AttestedReproduction> reproduced = AttestReproduction(*context_, request);
    EXPECT_TRUE(reproduced.ok()) << reproduced.status().message();
    EXPECT_EQ(reproduced->reproduction.verdicts.at(0).kind, VerdictKind::kNotReproduced);
    return claimed->published.id;
  }

  std::vector<std::string> Outcomes(const ClaimVerification& verification) {
    std::vector<std::string> outcomes;
    for (const ClaimCheck& check : verification.checks) {
      outcomes.push_back(check.check + " " + std::string(CheckOutcomeName(check.outcome)));
    }
    return outcomes;
  }

  std::string model_;
};

TEST_F(ClaimOps, ClaimIsPublishedWithItsOpeningAndVerifies) {
  AttestClaimRequest request = Claim(Run("vendor.jsonl", 0.8, 1));
  request.output_path = Path("claim.json");
  Result<AttestedClaim> claimed = AttestClaim(*context_, request);
  ASSERT_TRUE(claimed.ok()) << claimed.status().message();
  ASSERT_TRUE(claimed->published.appended.has_value());
  EXPECT_EQ(claimed->transcript_file, Path("claim.opening.jsonl"));
  EXPECT_EQ(claimed->published.written, (std::vector<std::string>{Path("claim.opening.jsonl"), Path("claim.json")}));
  EXPECT_EQ(std::filesystem::status(Path("claim.opening.jsonl")).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_TRUE(claimed->claim.eval.metrics.at(0).recomputed);

  VerifyClaimRequest verify;
  verify.claim = claimed->published.id.substr(0, 10);
  verify.weights_dir = model_;
  verify.transcript = Path("claim.opening.jsonl");
  Result<ClaimVerification> verified = VerifyClaim(*context_, verify);
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_TRUE(verified->ok());
  EXPECT_EQ(Outcomes(*verified), (std::vector<std::string>{"signature pass", "model pass", "weights pass",
                                                           "transcript pass", "score pass"}));
  EXPECT_EQ(verified->checks.front().signer->entry->name, "acme");
  EXPECT_TRUE(VerdictOf(*verified).ok());

  // Another folder is a failed check, not an error.
  SyntheticModelSpec changed;
  changed.changed_tensors = {"model.layers.0.self_attn.q_proj.weight"};
  verify.weights_dir = Model("changed", changed);
  verify.transcript.clear();
  verified = VerifyClaim(*context_, verify);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(VerdictOf(*verified).kind(), ErrorKind::kCheckFailed);
}

// Issue 10: a claim whose append fails writes nothing, neither -o nor its opening.
TEST_F(ClaimOps, FailedAppendWritesNothing) {
  const std::string refs = context_->paths.ledger + "/refs/heads";
  std::filesystem::remove_all(refs);
  dir_.Write("ledger/refs/heads", "blocked\n");
  AttestClaimRequest request = Claim(Run("vendor.jsonl", 0.8, 1));
  request.output_path = Path("claim.json");
  Result<AttestedClaim> claimed = AttestClaim(*context_, request);
  EXPECT_FALSE(claimed.ok());
  EXPECT_FALSE(std::filesystem::exists(Path("claim.json")));
  EXPECT_FALSE(std::filesystem::exists(Path("claim.opening.jsonl")));
}

TEST_F(ClaimOps, RefusalsSayWhatIsWrong) {
  const std::string log = Run("vendor.jsonl", 0.8, 1);
  AttestClaimRequest unknown = Claim(log);
  unknown.model = "acme/nosuch";
  Result<AttestedClaim> claimed = AttestClaim(*context_, unknown);
  EXPECT_EQ(claimed.status().kind(), ErrorKind::kNotFound);
  EXPECT_THAT(claimed.status().message(), HasSubstr("acme/nosuch"));
  EXPECT_FALSE(claimed.status().hint().empty());

  AttestClaimRequest both = Claim(log);
  both.endpoint = "acme/api";
  EXPECT_EQ(AttestClaim(*context_, both).status().kind(), ErrorKind::kInvalidInput);

  AttestClaimRequest endpoint = Claim(log);
  endpoint.model.clear();
  endpoint.endpoint = "acme/a\x1b[2Jpi";
  EXPECT_THAT(AttestClaim(*context_, endpoint).status().message(), HasSubstr("control character"));

  VerifyClaimRequest verify;
  verify.claim = "0123456789abcdef";
  EXPECT_EQ(VerifyClaim(*context_, verify).status().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(StatusOfModel(*context_, StatusRequest{"acme/nosuch", {}}).status().kind(), ErrorKind::kNotFound);
}

TEST_F(ClaimOps, StatusShowsTheVerdictAndTheOtherUpload) {
  SyntheticModelSpec changed;
  changed.changed_tensors = {"model.layers.1.self_attn.v_proj.weight"};
  AttestModelRequest upload;
  upload.folder = Model("v2", changed);
  upload.name = "acme/model";
  upload.revision = "v2";
  upload.use_cache = false;
  ASSERT_TRUE(AttestModel(*context_, upload).ok());
  const std::string claim = ClaimAndReproduce("eve");

  Result<ModelStatus> status = StatusOfModel(*context_, StatusRequest{"acme/model@v1", {}});
  ASSERT_TRUE(status.ok()) << status.status().message();
  ASSERT_EQ(status->claims.size(), 1u);
  EXPECT_EQ(status->claims[0].record.id, claim);
  EXPECT_EQ(StandingOf(status->claims[0]), ClaimStanding::kNotReproduced);
  ASSERT_EQ(status->same_weights.size(), 1u);
  ASSERT_EQ(status->different_weights.size(), 1u);
  EXPECT_EQ(status->different_weights[0].revision, "v2");
}

// A reproduction signed by a key that is not an evaluator's is listed, not
// counted and used for nothing; it fails nothing.
TEST_F(ClaimOps, AReproductionByANonEvaluatorIsNotCounted) {
  AddParty("mallory", {TrustRole::kVendor});
  const std::string claim = ClaimAndReproduce("mallory");
  VerifyClaimRequest verify;
  verify.claim = claim;
  Result<ClaimVerification> verified = VerifyClaim(*context_, verify);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok());
  EXPECT_EQ(Outcomes(*verified), (std::vector<std::string>{"signature pass", "model pass", "reproduction not counted"}));
  EXPECT_THAT(verified->checks.back().detail, HasSubstr("NOT COUNTED"));
  Result<ModelStatus> status = StatusOfModel(*context_, StatusRequest{"acme/model", {}});
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(StandingOf(status->claims.at(0)), ClaimStanding::kUnchallenged);
}

// Offline: the bundle's keys count only when named; a reproduction altered
// after signing is a failed check and none of its verdicts passes.
TEST_F(ClaimOps, BundleChecksOfflineAndCatchesAnAlteredReproduction) {
  const std::string claim = ClaimAndReproduce("eve");
  Result<ExportedBundle> exported = ExportBundle(*context_, ExportBundleRequest{claim, Path("claim.intoto.jsonl")});
  ASSERT_TRUE(exported.ok()) << exported.status().message();
  EXPECT_TRUE(exported->has_model_record);
  EXPECT_EQ(exported->keys, 2u);

  Result<TrustFile> trust = TrustFile::Load(context_->fs, context_->paths.trust_file);
  ASSERT_TRUE(trust.ok());
  context_->paths.trust_file = Path("empty-trust");
  context_->paths.ledger = Path("nowhere");
  VerifyClaimRequest verify;
  verify.bundle = Path("claim.intoto.jsonl");
  Result<ClaimVerification> strangers = VerifyClaim(*context_, verify);
  ASSERT_TRUE(strangers.ok()) << strangers.status().message();
  EXPECT_EQ(Outcomes(*strangers).front(), "signature fail");
  for (const TrustEntry& entry : trust->entries()) verify.trusted_bundle_keys.push_back(SshFingerprint(entry.key.key));
  Result<ClaimVerification> named = VerifyClaim(*context_, verify);
  ASSERT_TRUE(named.ok());
  EXPECT_TRUE(named->ok());
  EXPECT_EQ(Outcomes(*named).back(), "verdict pass");
  EXPECT_FALSE(std::filesystem::exists(Path("nowhere")));

  verify.trusted_bundle_keys = {"SHA256:nosuchkey"};
  EXPECT_THAT(VerifyClaim(*context_, verify).status().message(), HasSubstr("SHA256:nosuchkey"));
  verify.trusted_bundle_keys.clear();

  // The reproduction's payload rewritten, its signature kept.
  Result<EvidenceBundle> bundle = ParseEvidenceBundle(ReadFileOrDie(Path("claim.intoto.jsonl")));
  ASSERT_TRUE(bundle.ok());
  Result<DsseEnvelope> envelope = ParseDsseEnvelope(bundle->envelopes.back());
  ASSERT_TRUE(envelope.ok());
  const size_t at = envelope->payload.find("\"not reproduced\"");
  ASSERT_NE(at, std::string::npos);
  envelope->payload.replace(at, 16, "\"reproduced\"");
  bundle->envelopes.back() = SerializeDsseEnvelope(*envelope);
  dir_.Write("forged.intoto.jsonl", FormatEvidenceBundle(*bundle));
  verify.bundle = Path("forged.intoto.jsonl");
  context_->paths.trust_file = (dir_.path() / "config/trust").string();
  Result<ClaimVerification> forged = VerifyClaim(*context_, verify);
  ASSERT_TRUE(forged.ok()) << forged.status().message();
  EXPECT_FALSE(forged->ok());
  EXPECT_EQ(Outcomes(*forged).back(), "reproduction fail");
  EXPECT_THAT(forged->checks.back().detail, HasSubstr("altered after signing"));
}

TEST_F(ClaimOps, ASampleIsProvedAndAnAlteredOneIsCaught) {
  SignAs("acme");
  Result<AttestedClaim> claimed = AttestClaim(*context_, Claim(Run("vendor.jsonl", 0.8, 1)));
  ASSERT_TRUE(claimed.ok());
  ProveSampleRequest prove{claimed->published.id.substr(0, 12), "q00007", Path("claim.opening.jsonl"), Path("proof.json")};
  Result<ProvedSample> proved = ProveClaimSample(*context_, prove);
  ASSERT_TRUE(proved.ok()) << proved.status().message();
  EXPECT_EQ(proved->written, Path("proof.json"));
  Result<SampleVerification> verified = VerifySample(*context_, Path("proof.json"));
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->proof.leaf.id, "q00007");
  EXPECT_EQ(verified->claim.record.signers.at(0).entry->name, "acme");

  prove.sample_id = "nosuch";
  EXPECT_THAT(ProveClaimSample(*context_, prove).status().message(), HasSubstr("nosuch"));

  std::string text = ReadFileOrDie(Path("proof.json"));
  const size_t at = text.find("Question");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 8, "QUESTIOn");
  dir_.Write("altered.json", text);
  Result<SampleVerification> altered = VerifySample(*context_, Path("altered.json"));
  EXPECT_EQ(altered.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(altered.status().message(), HasSubstr("altered.json"));
}

// The demo tells its story in its own folder, with its own context: the
// fixture's ledger and trust file are not touched.
TEST_F(ClaimOps, DemoTellsTheStoryInItsOwnFolder) {
  const std::string trust_before = ReadFileOrDie(context_->paths.trust_file);
  Result<DemoStory> story = RunDemo(*context_, DemoRequest{Path("demo"), "assay"});
  ASSERT_TRUE(story.ok()) << story.status().message();
  ASSERT_EQ(story->steps.size(), 16u);
  const AttestedClaim& group = std::get<AttestedClaim>(story->steps[3].result);
  EXPECT_TRUE(group.claim.eval.is_group());
  EXPECT_EQ(group.claim.eval.tasks.size(), 4u);
  EXPECT_TRUE(group.claim.eval.metrics.at(0).recomputed);
  const AttestedReproduction& group_rerun = std::get<AttestedReproduction>(story->steps[7].result);
  EXPECT_EQ(group_rerun.reproduction.verdicts.at(0).kind, VerdictKind::kReproduced);
  EXPECT_EQ(group_rerun.reproduction.task_verdicts.size(), 4u);
  const AttestedReproduction& zero_shot = std::get<AttestedReproduction>(story->steps[8].result);
  EXPECT_EQ(zero_shot.reproduction.verdicts.at(0).kind, VerdictKind::kNotComparable);
  const ModelStatus& status = std::get<ModelStatus>(story->steps[9].result);
  ASSERT_EQ(status.claims.size(), 2u);
  for (const SignedClaim& claim : status.claims) {
    // demo-qa: one counted "not reproduced", the 0-shot rerun not counted; demo_mmlu: reproduced.
    EXPECT_EQ(StandingOf(claim), claim.claim.eval.is_group() ? ClaimStanding::kReproduced : ClaimStanding::kNotReproduced);
  }
  EXPECT_EQ(status.different_weights.at(0).revision, "v2");
  // The Hub, the host and the API.
  const ObserveOutcome& observed = std::get<ObserveOutcome>(story->steps[11].result);
  EXPECT_EQ(observed.observed.size(), 3u);
  const AttestedDeployment& deployed = std::get<AttestedDeployment>(story->steps[12].result);
  EXPECT_EQ(deployed.deployment.model_revision, "v2");
  const AttestedClaim& endpoint_claim = std::get<AttestedClaim>(story->steps[13].result);
  EXPECT_FALSE(endpoint_claim.claim.binding.bound_to_weights());
  const AttestedComparison& compared = std::get<AttestedComparison>(story->steps[14].result);
  EXPECT_EQ(compared.comparison.finding, "different");
  EXPECT_LT(compared.comparison.p_value.value(), kSameModelAlpha);
  const ModelHistory& history = std::get<ModelHistory>(story->steps.back().result);
  ASSERT_EQ(history.revisions.size(), 3u);
  EXPECT_TRUE(history.revisions[2].weight_changes.empty());  // the third upload: config.json only
  EXPECT_EQ(history.revisions[2].file_changes.at(0).path, "config.json");
  EXPECT_EQ(history.revisions[1].deployments.size(), 1u);
  EXPECT_EQ(story->commands.size(), 13u);
  EXPECT_THAT(story->commands.front(), HasSubstr("assay status demo/vendor-model@v1 --ledger " + story->dir));
  EXPECT_EQ(ReadFileOrDie(context_->paths.trust_file), trust_before);
  EXPECT_TRUE(std::filesystem::exists(Path("demo/cache")));

  Result<DemoStory> again = RunDemo(*context_, DemoRequest{Path("demo"), "assay"});
  EXPECT_EQ(again.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(again.status().hint(), HasSubstr("--dir"));
}

}  // namespace
}  // namespace assay
