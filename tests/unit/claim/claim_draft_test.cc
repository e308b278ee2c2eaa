#include "claim/claim_draft.h"

#include <gtest/gtest.h>

#include "claim_test_fixtures.h"
#include "record/model_statement.h"

namespace assay {
namespace {

using json = nlohmann::json;
using claim_testing::ChoiceSamples;
using claim_testing::kModelRecordId;
using claim_testing::MmluRun;
using claim_testing::WidgetRecord;

ClaimDraftOptions Deterministic(bool force = false) {
  return ClaimDraftOptions{.metrics = {}, .force = force, .new_salt = claim_testing::CountingSalts(), .derive_group_rule = ""};
}

Result<ClaimDraft> Draft(const EvalRun& run, bool force = false) {
  const ModelRecord record = WidgetRecord();
  return DraftClaim(run, BindToModelRecord(kModelRecordId, record), &record, Deterministic(force));
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The example: the samples average 79.2 % but the log claims 89.9 %.
TEST(ClaimDraft, RefusesAScoreTheTranscriptDoesNotSupport) {
  const EvalRun run = MmluRun(ChoiceSamples(1000, 792), 0.899);
  Result<ClaimDraft> draft = Draft(run);
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().kind(), ErrorKind::kCheckFailed);
  const std::string message = draft.status().message();
  EXPECT_TRUE(Contains(message, "79.2")) << message;
  EXPECT_TRUE(Contains(message, "89.9")) << message;
  EXPECT_TRUE(message.starts_with("refusing to sign: acc,none: ")) << message;
  EXPECT_TRUE(Contains(draft.status().hint(), "--force")) << draft.status().hint();
}

TEST(ClaimDraft, ForcedClaimSaysTheScoreWasNotRecomputed) {
  const EvalRun run = MmluRun(ChoiceSamples(1000, 792), 0.899);
  Result<ClaimDraft> draft = Draft(run, /*force=*/true);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  ASSERT_EQ(draft->objections.size(), 1u);
  const RecordedMetric& metric = draft->claim.eval.metrics.at(0);
  EXPECT_FALSE(metric.recomputed);
  EXPECT_TRUE(metric.not_recomputable.starts_with("signed with --force: ")) << metric.not_recomputable;
  EXPECT_TRUE(Contains(metric.not_recomputable, "79.2") && Contains(metric.not_recomputable, "89.9"));
  EXPECT_EQ(metric.metric.value, 0.899);  // the claim keeps the number the vendor claims
  const json statement = ClaimStatement(draft->claim);
  const json& written = statement["predicate"]["metrics"][0];
  EXPECT_EQ(written["recomputed"], false);
  EXPECT_EQ(written["notRecomputable"], metric.not_recomputable);
  EXPECT_EQ(written["value"], 0.899);
  // The forced record still commits to the transcript.
  ASSERT_TRUE(draft->transcript.has_value());
  EXPECT_EQ(statement["predicate"]["transcript"]["root"], ToHex(draft->transcript->root()));
}

TEST(ClaimDraft, SupportedClaimIsRecomputedAndCommitted) {
  const EvalRun run = MmluRun(ChoiceSamples(1000, 792), 0.792);
  Result<ClaimDraft> draft = Draft(run);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_TRUE(draft->objections.empty());
  const RecordedMetric& metric = draft->claim.eval.metrics.at(0);
  EXPECT_TRUE(metric.recomputed);
  EXPECT_EQ(metric.samples, 1000u);
  EXPECT_TRUE(metric.not_recomputable.empty());
  ASSERT_TRUE(draft->transcript.has_value());
  const TranscriptCommitment& commitment = *draft->claim.eval.transcript;
  EXPECT_EQ(commitment.samples, 1000u);
  EXPECT_EQ(commitment.format, "lm-eval");
  claim_testing::CountingSalts salts;
  EXPECT_EQ(commitment.root, ToHex(CommitTranscript(run.samples, std::ref(salts))->root));
  EXPECT_EQ(draft->claim.model_mismatch, "");
  Result<Claim> parsed = ParseClaimStatement(*StatementBytes(ClaimStatement(draft->claim)));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->eval.metrics[0].recomputed);
}

TEST(ClaimDraft, HarnessHashProblemsBlockSigning) {
  EvalRun run = MmluRun(ChoiceSamples(20, 16), 0.8);
  run.hash_check.present = true;
  run.hash_check.rows_checked = 20;
  run.hash_check.problems = {"doc 7: doc_hash does not match the doc",
                             "task hash does not match the 20 rows read: samples file truncated or edited?"};
  Result<ClaimDraft> draft = Draft(run);
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(draft.status().message(),
            "refusing to sign: the transcript fails lm-evaluation-harness's own hashes: doc 7: doc_hash does not "
            "match the doc (and 1 more)");
  EXPECT_EQ(draft.status().hint(), "pass --force to sign anyway, saying so in the record");
  // Forced, the score recomputes but the transcript behind it is not the
  // harness's own, so no metric counts as recomputed.
  Result<ClaimDraft> forced = Draft(run, /*force=*/true);
  ASSERT_TRUE(forced.ok()) << forced.status().message();
  for (const RecordedMetric& metric : forced->claim.eval.metrics) {
    EXPECT_FALSE(metric.recomputed);
    EXPECT_TRUE(Contains(metric.not_recomputable, "doc_hash does not match")) << metric.not_recomputable;
  }
  EXPECT_EQ(forced->claim.eval.transcript->harness_hash_rows, 20u);
}

TEST(ClaimDraft, MarksAPartialRun) {
  EvalRun run = MmluRun(ChoiceSamples(20, 15), 0.75);
  run.samples_used = 20;
  run.samples_total = 13812;
  Result<ClaimDraft> draft = Draft(run);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_TRUE(draft->claim.eval.partial());
  const json benchmark = ClaimStatement(draft->claim)["predicate"]["benchmark"];
  EXPECT_EQ(benchmark["partial"], true);
  EXPECT_EQ(benchmark["samplesUsed"], 20);
  EXPECT_EQ(benchmark["samplesTotal"], 13812);

  run.samples_total = 20;
  EXPECT_EQ(ClaimStatement(Draft(run)->claim)["predicate"]["benchmark"]["partial"], false);
}

std::string Mismatch(const std::string& log_name, const std::string& log_revision, const ModelRecord& record) {
  EvalSummary eval;
  eval.log_model_name = log_name;
  eval.log_model_revision = log_revision;
  return DescribeModelMismatch(eval, record);
}

TEST(ClaimDraft, ShowsWhenTheLogNamesAnotherModel) {
  EvalRun run = MmluRun(ChoiceSamples(10, 8), 0.8);
  run.model_name = "Qwen/Qwen3-8B";
  run.model_revision = "b968826d9c46dd6066d109eabc6255188de91218";
  Result<ClaimDraft> draft = Draft(run);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_EQ(draft->claim.model_mismatch,
            "the eval log names Qwen/Qwen3-8B at b968826d9c46dd6066d109eabc6255188de91218; the model record is "
            "acme/widget-7b at v1");
  EXPECT_EQ(ClaimStatement(draft->claim)["predicate"]["logModelMismatch"], draft->claim.model_mismatch);

  // The name agrees, the revision does not.
  const ModelRecord widget = WidgetRecord();
  ModelRecord hub = WidgetRecord();
  hub.manifest.hub_source = HubSource{.repo_id = "acme/widget-7b", .revision = "0123abcd"};
  EXPECT_EQ(Mismatch("acme/widget-7b", "fedcba98", hub),
            "the eval log names acme/widget-7b at fedcba98; the model record is acme/widget-7b at v1 "
            "(hub acme/widget-7b at 0123abcd)");
  EXPECT_NE(Mismatch("acme/widget-7b-instruct", "", widget), "");
  EXPECT_NE(Mismatch("/models/other-7b", "", widget), "");
  EXPECT_NE(Mismatch("widget", "", widget), "");
  // Another organisation's model of the same name is another model.
  EXPECT_NE(Mismatch("evil/widget-7b", "", widget), "");
  // Revisions agree by a hash prefix only: "v1" is not "v10".
  EXPECT_NE(Mismatch("acme/widget-7b", "v10", widget), "");
  ModelRecord hashed = WidgetRecord();
  hashed.identity.revision = "0123abcdef0123abcdef0123abcdef0123abcdef";
  EXPECT_NE(Mismatch("acme/widget-7b", "0", hashed), "");
}

TEST(ClaimDraft, AgreesWhenTheLogNamesTheSameModel) {
  // By hub repo id, though the record is named otherwise.
  const ModelRecord widget = WidgetRecord();
  ModelRecord renamed = WidgetRecord(std::nullopt);
  renamed.manifest.hub_source = HubSource{.repo_id = "acme/widget-7b", .revision = "0123abcdef"};
  renamed.identity.name = "widget (release build)";
  EXPECT_EQ(Mismatch("acme/widget-7b", "", renamed), "");
  // By a local path ending in the name, in any case.
  EXPECT_EQ(Mismatch("/data/models/widget-7b", "", widget), "");
  EXPECT_EQ(Mismatch("/data/models/acme/widget-7b", "", widget), "");
  EXPECT_EQ(Mismatch("ACME/Widget-7B", "", widget), "");
  EXPECT_EQ(Mismatch("widget-7b", "", widget), "");
  // By a short revision prefix of the hub commit, or of the record's revision.
  EXPECT_EQ(Mismatch("acme/widget-7b", "0123abc", renamed), "");
  ModelRecord full = WidgetRecord();
  full.identity.revision = "0123abcdef0123abcdef0123abcdef0123abcdef";
  EXPECT_EQ(Mismatch("acme/widget-7b", "0123abcd", full), "");
  EXPECT_EQ(Mismatch("acme/widget-7b", "main", full), "");
  // A log that does not say.
  EXPECT_EQ(Mismatch("", "", widget), "");
}

TEST(ClaimDraft, EndpointClaimHasNoModelRecordToCompare) {
  EvalRun run = MmluRun(ChoiceSamples(10, 8), 0.8);
  run.model_name = "openai/gpt-4o";
  ClaimBinding binding;
  binding.endpoint = Endpoint{.provider = "openai", .model = "gpt-4o"};
  Result<ClaimDraft> draft = DraftClaim(run, binding, nullptr, Deterministic());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_EQ(draft->claim.model_mismatch, "");
  const json statement = ClaimStatement(draft->claim);
  EXPECT_EQ(statement["predicate"]["boundToWeights"], false);
  EXPECT_TRUE(ParseClaimStatement(*StatementBytes(statement)).ok());
}

TEST(ClaimDraft, SelectsMetricsByName) {
  EvalRun run = MmluRun(ChoiceSamples(10, 8), 0.8);
  run.metrics.push_back({.name = "f1,none",
                         .value = 0.5,
                         .stderr_value = std::nullopt,
                         .higher_is_better = true,
                         .aggregation = "f1",
                         .per_sample_key = ""});
  ClaimDraftOptions options = Deterministic();
  options.metrics = {"f1,none"};
  const ModelRecord record = WidgetRecord();
  Result<ClaimDraft> draft = DraftClaim(run, BindToModelRecord(kModelRecordId, record), &record, options);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  ASSERT_EQ(draft->claim.eval.metrics.size(), 1u);
  // A metric assay cannot recompute is no objection; the record says why.
  EXPECT_FALSE(draft->claim.eval.metrics[0].recomputed);
  EXPECT_FALSE(draft->claim.eval.metrics[0].not_recomputable.empty());

  options.metrics = {"acc_norm,none"};
  Result<ClaimDraft> missing = DraftClaim(run, BindToModelRecord(kModelRecordId, record), &record, options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(missing.status().message(), "the log has no metric 'acc_norm,none' for mmlu (it has: acc,none, f1,none)");
}

TEST(ClaimDraft, RunWithoutTranscriptCommitsNothing) {
  EvalRun run = MmluRun({}, 0.899);
  Result<ClaimDraft> draft = Draft(run);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_FALSE(draft->transcript.has_value());
  EXPECT_FALSE(draft->claim.eval.transcript.has_value());
  EXPECT_FALSE(draft->claim.eval.metrics[0].recomputed);
  EXPECT_FALSE(ClaimStatement(draft->claim)["predicate"].contains("transcript"));
}

}  // namespace
}  // namespace assay
