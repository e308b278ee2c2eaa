// The generated lm-eval run reads as a real one does: its rows pass lm-eval's
// own hashes, its task hashes are the rows', and its group scores are the
// ones lm-eval 0.4.12 on would log, so a claim of it recomputes every score.
#include "claim/synthetic_lm_eval.h"

#include <gtest/gtest.h>

#include "claim/claim_draft.h"
#include "evallog/eval_log.h"
#include "test_support.h"

namespace assay {
namespace {

TEST(SyntheticLmEval, AGroupRunPassesLmEvalsHashesAndItsScoresRecompute) {
  testing::ScratchDir dir;
  SyntheticLmEvalSpec spec;
  spec.tasks = {{"mini_a", 30, 0.7}, {"mini_b", 12, 0.5}, {"mini_c", 25, 0.9}, {"solo", 10, 0.4}};
  spec.group_subtasks = {{"mini", {"mini_ab", "mini_c"}}, {"mini_ab", {"mini_a", "mini_b"}}};
  spec.model_name = "acme/widget";
  spec.question_bytes = 300;
  const std::string folder = (dir.path() / "run").string();
  ASSERT_TRUE(WriteSyntheticLmEvalRun(LocalFileSystem(), folder, spec).ok());

  Result<EvalRun> group = ReadEvalLog({folder}, EvalLogOptions{.task = "mini"}, LocalFileSystem());
  ASSERT_TRUE(group.ok()) << group.status().message();
  EXPECT_EQ(group->samples.size(), 67u);
  EXPECT_EQ(group->hash_check.rows_checked, 67u);
  EXPECT_TRUE(group->hash_check.ok()) << ::testing::PrintToString(group->hash_check.problems);
  EXPECT_EQ(group->group_rules.at("acc,none").rule, "leaves/size/pooled");
  EXPECT_EQ(group->tasks[0].config["num_fewshot"], 5);
  EXPECT_GT(group->samples[0].record["doc"]["question"].get<std::string>().size(), 299u);

  ClaimBinding binding;
  binding.endpoint = Endpoint{"acme", "widget"};
  Result<ClaimDraft> draft = DraftClaim(*group, binding, nullptr, ClaimDraftOptions{});
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_TRUE(draft->claim.eval.metrics[0].recomputed);

  Result<EvalRun> solo = ReadEvalLog({folder}, EvalLogOptions{.task = "solo"}, LocalFileSystem());
  ASSERT_TRUE(solo.ok()) << solo.status().message();
  EXPECT_EQ(solo->metrics[0].value, 0.4);
  EXPECT_TRUE(solo->hash_check.ok());
}

}  // namespace
}  // namespace assay
