// Claims of lm-eval groups (claim/v2): a group read with every task's samples,
// each task's score recomputed from its own rows, the group's score from the
// tasks' by the lm-eval rule that gives the logged value, and the record read
// back. Generated runs are in lm-eval's results and samples format; the real
// negotiationtom run is read in place.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "claim/claim_draft.h"
#include "claim/group_score.h"
#include "claim/score_recompute.h"
#include "claim_test_fixtures.h"
#include "evallog/eval_log.h"
#include "evallog/lm_eval_groups.h"
#include "file_system.h"
#include "lm_eval_run_fixture.h"
#include "record/in_toto.h"
#include "test_support.h"

namespace assay {
namespace {

using claim_testing::CountingSalts;
using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kStamp[] = "2026-01-02T03-04-05.000006";

// G = [S1, c], S1 = [a, b], of unequal sizes, so that lm-eval's rules give
// four different group scores.
const std::vector<testing::LmEvalTaskSpec> kTasks = {{"a", 100, 90}, {"b", 10, 5}, {"c", 50, 10}};

// The run in DIR/run, its groups scored by `rule`, or G's row replaced by `group_row`.
std::string WriteGroupRun(const testing::ScratchDir& dir, const LmEvalGroupRule& rule, json group_row = nullptr) {
  testing::LmEvalRunSpec spec;
  spec.tasks = kTasks;
  spec.group_subtasks = {{"G", {"S1", "c"}}, {"S1", {"a", "b"}}};
  spec.stamp = kStamp;
  json file = testing::WriteLmEvalRun(dir, "run", spec, rule);
  if (!group_row.is_null()) {
    file["results"]["G"] = std::move(group_row);
    dir.Write(std::string("run/results_") + kStamp + ".json", file.dump(2));
  }
  return (dir.path() / "run").string();
}

Result<EvalRun> ReadGroupRun(const std::vector<std::string>& paths, const std::string& task = "G") {
  return ReadEvalLog(paths, EvalLogOptions{.task = task}, LocalFileSystem());
}

Result<ClaimDraft> DraftGroupClaim(const EvalRun& run, const std::string& derive_group_rule = "") {
  CountingSalts salts;
  ClaimBinding binding;
  binding.endpoint = Endpoint{"acme", "widget"};
  ClaimDraftOptions options;
  options.new_salt = [&salts] { return salts(); };
  options.derive_group_rule = derive_group_rule;
  return DraftClaim(run, binding, nullptr, options);
}

TEST(GroupClaim, EachRuleOfANestedGroupIsFoundAndRecordedAndTheTasksRecomputed) {
  for (const LmEvalGroupRule& rule : LmEvalGroupRules()) {
    testing::ScratchDir dir;
    Result<EvalRun> run = ReadGroupRun({WriteGroupRun(dir, rule)});
    ASSERT_TRUE(run.ok()) << run.status().message();
    ASSERT_TRUE(run->is_group());
    EXPECT_EQ(run->id_scheme, kLmEvalTaskIds);
    EXPECT_EQ(run->samples.size(), 160u);
    EXPECT_EQ(run->samples.front().id, "a/0/none");
    EXPECT_EQ(run->samples.back().id, "c/49/none");
    ASSERT_EQ(run->groups.size(), 2u);
    EXPECT_EQ(run->groups[1].name, "S1");
    EXPECT_EQ(run->group_rules.at("acc,none").rule, rule.Name());
    ASSERT_EQ(run->files.size(), 4u);
    EXPECT_EQ(run->files[1].sha256, claim_testing::HexSha256(testing::ReadFileOrDie(
                                        (dir.path() / (std::string("run/samples_a_") + kStamp + ".jsonl")).string())));

    Result<ClaimDraft> draft = DraftGroupClaim(*run);
    ASSERT_TRUE(draft.ok()) << rule.Name() << ": " << draft.status().message();
    const EvalSummary& eval = draft->claim.eval;
    ASSERT_EQ(eval.metrics.size(), 1u);
    EXPECT_TRUE(eval.metrics[0].recomputed) << eval.metrics[0].not_recomputable;
    EXPECT_EQ(eval.metrics[0].rule, rule.Name());
    EXPECT_EQ(eval.metrics[0].samples, std::optional<uint64_t>(160));
    ASSERT_EQ(eval.tasks.size(), 3u);
    for (const TaskSummary& task : eval.tasks) EXPECT_TRUE(task.metrics[0].recomputed) << task.name;
    EXPECT_EQ(draft->claim.eval.transcript->id_scheme, kLmEvalTaskIds);

    // The group's score follows from the tasks' recomputed scores by the recorded rule.
    std::map<std::string, double> task_values;
    for (const testing::LmEvalTaskSpec& task : kTasks) {
      task_values[task.name] = static_cast<double>(task.right) / static_cast<double>(task.documents);
    }
    Result<GroupScoreCheck> check = RecomputeGroupScore(eval, eval.metrics[0], task_values);
    ASSERT_TRUE(check.ok()) << check.status().message();
    EXPECT_TRUE(check->value_matches) << rule.Name() << ": " << check->value;
    task_values["b"] = 0.9;  // one task's samples say otherwise
    EXPECT_FALSE(RecomputeGroupScore(eval, eval.metrics[0], task_values)->value_matches);
  }
}

TEST(GroupClaim, TheRecordIsAClaimV2AndReadsBackWhole) {
  testing::ScratchDir dir;
  Result<EvalRun> run = ReadGroupRun({WriteGroupRun(dir, LmEvalGroupRules()[1])});
  ASSERT_TRUE(run.ok()) << run.status().message();
  Result<ClaimDraft> draft = DraftGroupClaim(*run);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  const json statement = ClaimStatement(draft->claim);
  EXPECT_EQ(statement["predicateType"], kClaimV2PredicateType);
  EXPECT_EQ(statement["predicate"]["benchmark"]["kind"], "group");
  EXPECT_EQ(statement["predicate"]["transcript"]["idScheme"], "lm-eval-task");
  Result<Claim> read = ParseClaimStatement(statement.dump());
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->eval.tasks.size(), 3u);
  EXPECT_EQ(read->eval.groups.size(), 2u);
  EXPECT_EQ(read->eval.logs.size(), 4u);
  EXPECT_EQ(read->eval.metrics[0].rule, "leaves/equal/pooled");
  EXPECT_EQ(ClaimStatement(*read), statement);

  // What the reader refuses in a v2 record, and the v2 fields in a v1 record.
  auto refused = [&](const std::function<void(json&)>& edit) {
    json changed = statement;
    edit(changed);
    Result<Claim> parsed = ParseClaimStatement(changed.dump());
    return parsed.ok() ? std::string("accepted") : parsed.status().message();
  };
  EXPECT_THAT(refused([](json& s) { s["predicate"]["benchmark"]["groups"][1]["members"][0] = "z"; }),
              HasSubstr("member z is neither a task nor a group of the claim"));
  EXPECT_THAT(refused([](json& s) { s["predicate"]["transcript"]["idScheme"] = "harness"; }),
              HasSubstr("idScheme"));
  EXPECT_THAT(refused([](json& s) { s["predicate"]["benchmark"]["tasks"][0]["metrics"][0]["rule"] = "x"; }),
              HasSubstr("only a group's own metrics have a rule"));
  EXPECT_THAT(refused([](json& s) { s["predicate"]["logs"][1]["task"] = "z"; }),
              HasSubstr("not one of the claim's tasks"));
  EXPECT_THAT(refused([](json& s) { s["predicateType"] = kClaimPredicateType; }),
              HasSubstr("not a field of version 1"));
  // When the run started: only the UTC form the writer gives, and a real instant.
  EXPECT_EQ(refused([](json& s) { s["predicate"]["runStarted"] = "2026-01-02T03:04:05Z"; }), "accepted");
  for (const char* started : {"2026-01-02T03:04:05+00:00", "2026-01-02 03:04:05Z", "2026-02-30T00:00:00Z", "yesterday"}) {
    EXPECT_THAT(refused([&](json& s) { s["predicate"]["runStarted"] = started; }), HasSubstr("runStarted")) << started;
  }
  EXPECT_THAT(refused([](json& s) { s["predicate"]["plan"] = "not hex"; }), HasSubstr("plan"));
  EXPECT_THAT(refused([](json& s) { s["predicate"]["metrics"][0]["derived"] = false; }), HasSubstr("derived"));
}

// A signed record can say anything: a group tree that loops, a rule lm-eval
// has not, a group with no task under it are errors of the recomputation,
// never a crash or a pass.
TEST(GroupClaim, AHostileGroupTreeOrRuleIsAnErrorOfTheRecomputation) {
  testing::ScratchDir dir;
  Result<EvalRun> run = ReadGroupRun({WriteGroupRun(dir, LmEvalGroupRules()[0])});
  ASSERT_TRUE(run.ok()) << run.status().message();
  Result<ClaimDraft> draft = DraftGroupClaim(*run);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  const json statement = ClaimStatement(draft->claim);
  const std::map<std::string, double> values = {{"a", 0.9}, {"b", 0.5}, {"c", 0.2}};
  auto recompute = [&](const std::function<void(json&)>& edit) -> std::string {
    json changed = statement;
    edit(changed);
    Result<Claim> claim = ParseClaimStatement(changed.dump());
    if (!claim.ok()) return "read: " + claim.status().message();
    Result<GroupScoreCheck> check = RecomputeGroupScore(claim->eval, claim->eval.metrics.at(0), values);
    if (!check.ok()) return "recompute: " + check.status().message();
    return check->value_matches ? "matches" : "differs";
  };
  EXPECT_EQ(recompute([](json&) {}), "matches");
  EXPECT_THAT(recompute([](json& s) { s["predicate"]["benchmark"]["groups"][1]["members"].push_back("G"); }),
              HasSubstr("contains itself"));
  EXPECT_THAT(recompute([](json& s) { s["predicate"]["metrics"][0]["rule"] = "leaves/median/pooled"; }),
              HasSubstr("is not one of lm-eval's group rules"));
  EXPECT_THAT(recompute([](json& s) { s["predicate"]["benchmark"]["groups"][0]["members"] = json::array(); }),
              HasSubstr("read: "));
  EXPECT_THAT(recompute([](json& s) { s["predicate"]["benchmark"]["groups"][0]["name"] = "S1"; }),
              HasSubstr("read: "));
  EXPECT_THAT(recompute([](json& s) { s["predicate"]["benchmark"]["groups"][0]["members"] = {"c"}; }),
              HasSubstr("read: predicate.benchmark: S1 is not under the group G"));
}

TEST(GroupClaim, AGroupScoreNoRuleGivesIsRefusedNamingTheNumbers) {
  testing::ScratchDir dir;
  const std::string folder = WriteGroupRun(dir, LmEvalGroupRules()[0], {{"acc,none", 0.7}, {"acc_stderr,none", 0.02}});
  Result<EvalRun> run = ReadGroupRun({folder});
  ASSERT_TRUE(run.ok()) << run.status().message();
  Result<ClaimDraft> draft = DraftGroupClaim(*run);
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(draft.status().message(), HasSubstr("acc,none: group 'G' 'acc,none': the log says 0.7 ± 0.02"));
  EXPECT_THAT(draft.status().message(), HasSubstr("leaves/size/pooled gives 0.65625"));
}

TEST(GroupClaim, ATaskScoreItsSamplesDoNotGiveIsRefusedNamingTheTask) {
  testing::ScratchDir dir;
  const std::string folder = WriteGroupRun(dir, LmEvalGroupRules()[0]);
  const std::string results = folder + "/results_" + kStamp + ".json";
  json file = json::parse(testing::ReadFileOrDie(results));
  file["results"]["c"]["acc,none"] = 0.3;  // its 50 rows average 0.2
  dir.Write(std::string("run/results_") + kStamp + ".json", file.dump());
  Result<EvalRun> run = ReadGroupRun({folder});
  ASSERT_TRUE(run.ok()) << run.status().message();
  Result<ClaimDraft> draft = DraftGroupClaim(*run);
  ASSERT_FALSE(draft.ok());
  EXPECT_THAT(draft.status().message(), HasSubstr("refusing to sign: c: acc,none: "));
}

TEST(GroupClaim, AGroupWithNoScoreIsClaimedByItsTasksAlone) {
  testing::ScratchDir dir;
  const std::string folder = WriteGroupRun(dir, LmEvalGroupRules()[0], {{" ", " "}, {"alias", "G"}});
  Result<EvalRun> run = ReadGroupRun({folder});
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_TRUE(run->metrics.empty());
  Result<ClaimDraft> draft = DraftGroupClaim(*run);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_TRUE(draft->claim.eval.metrics.empty());
  EXPECT_EQ(draft->claim.eval.tasks.size(), 3u);

  Result<EvalRun> aggregate_only = ReadGroupRun({folder + "/results_" + kStamp + ".json"});
  ASSERT_FALSE(aggregate_only.ok());
  EXPECT_THAT(aggregate_only.status().message(), HasSubstr("no group score in the log for 'G'"));
}

TEST(GroupClaim, AScoreTheLogDoesNotGiveIsDerivedOnlyWhenAskedAndSaysHow) {
  testing::ScratchDir dir;
  const std::string folder = WriteGroupRun(dir, LmEvalGroupRules()[0], {{" ", " "}, {"alias", "G"}});
  Result<EvalRun> run = ReadGroupRun({folder});
  ASSERT_TRUE(run.ok()) << run.status().message();
  for (const LmEvalGroupRule& rule : LmEvalGroupRules()) {
    Result<ClaimDraft> draft = DraftGroupClaim(*run, rule.Name());
    ASSERT_TRUE(draft.ok()) << rule.Name() << ": " << draft.status().message();
    ASSERT_EQ(draft->claim.eval.metrics.size(), 1u);
    const RecordedMetric& derived = draft->claim.eval.metrics[0];
    EXPECT_TRUE(derived.derived);
    EXPECT_TRUE(derived.recomputed);
    EXPECT_EQ(derived.rule, rule.Name());
    // What lm-eval would have logged by that rule, and what verify recomputes.
    testing::ScratchDir other;
    Result<EvalRun> scored = ReadGroupRun({WriteGroupRun(other, rule)});
    ASSERT_TRUE(scored.ok()) << scored.status().message();
    EXPECT_DOUBLE_EQ(derived.metric.value, scored->metrics[0].value) << rule.Name();
    EXPECT_DOUBLE_EQ(*derived.metric.stderr_value, *scored->metrics[0].stderr_value) << rule.Name();
    Result<GroupScoreCheck> check = RecomputeGroupScore(draft->claim.eval, derived, {{"a", 0.9}, {"b", 0.5}, {"c", 0.2}});
    ASSERT_TRUE(check.ok()) << check.status().message();
    EXPECT_TRUE(check->value_matches) << rule.Name() << ": " << check->value << " vs " << derived.metric.value;
    // The record says it was derived, and reads back so.
    Result<Claim> back = ParseClaimStatement(*StatementBytes(ClaimStatement(draft->claim)));
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_TRUE(back->eval.metrics[0].derived);
  }
  Result<ClaimDraft> bad_rule = DraftGroupClaim(*run, "leaves/size");
  ASSERT_FALSE(bad_rule.ok());
  EXPECT_THAT(bad_rule.status().message(), HasSubstr("not one of lm-eval's group rules"));
  // A group whose log gives its score is never given a derived one.
  Result<EvalRun> logged = ReadGroupRun({WriteGroupRun(dir, LmEvalGroupRules()[0])});
  ASSERT_TRUE(logged.ok());
  Result<ClaimDraft> refused = DraftGroupClaim(*logged, "leaves/size/pooled");
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("gives its group scores"));
}

TEST(GroupClaim, EveryTaskNeedsItsSamplesOfThisRun) {
  testing::ScratchDir dir;
  const std::string folder = WriteGroupRun(dir, LmEvalGroupRules()[0]);
  const std::string results = folder + "/results_" + kStamp + ".json";
  const std::string a = folder + "/samples_a_" + kStamp + ".jsonl";
  const std::string b = folder + "/samples_b_" + kStamp + ".jsonl";
  const std::string c = folder + "/samples_c_" + kStamp + ".jsonl";
  Result<EvalRun> missing = ReadGroupRun({results, a, b});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            results + ": no samples file for task 'c' of group 'G': give every task's samples, or the run's folder");

  const std::string other = dir.Write("samples_c_2026-02-02T00-00-00.000000.jsonl", testing::ReadFileOrDie(c));
  Result<EvalRun> another_run = ReadGroupRun({results, a, b, other});
  ASSERT_FALSE(another_run.ok());
  EXPECT_THAT(another_run.status().message(), StartsWith(other + ": the samples of the run of 2026-02-02T00-00-00"));

  Result<EvalRun> subgroup = ReadGroupRun({results, a, b, c}, "S1");
  ASSERT_FALSE(subgroup.ok());
  EXPECT_THAT(subgroup.status().message(), HasSubstr("is the samples file of task 'c', which is not in group 'S1'"));
  Result<EvalRun> folder_subgroup = ReadGroupRun({folder}, "S1");  // a folder's other tasks are passed over
  ASSERT_TRUE(folder_subgroup.ok()) << folder_subgroup.status().message();
  EXPECT_EQ(folder_subgroup->samples.size(), 110u);
}

TEST(GroupClaim, TheRealNegotiationTomRunIsClaimedWithAllSixtySamples) {
  ASSAY_REQUIRE_REALDATA();
  const std::string eval = testing::RealDataDir() + "/eval/lm-evaluation-harness__";
  const std::string stamp = "_2026-07-08T16-04-34.219874";
  std::vector<std::string> paths = {eval + "results" + stamp + ".json"};
  for (const char* task : {"belief", "desire", "intention"}) {
    paths.push_back(eval + "samples_negotiationtom_" + task + stamp + ".jsonl");
  }
  Result<EvalRun> run = ReadGroupRun(paths, "negotiationtom");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->samples.size(), 60u);
  EXPECT_EQ(run->hash_check.rows_checked, 60u);  // lm-eval's hashes, on every row
  EXPECT_TRUE(run->hash_check.ok()) << ::testing::PrintToString(run->hash_check.problems);
  Result<ClaimDraft> draft = DraftGroupClaim(*run);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  const EvalSummary& claim = draft->claim.eval;
  const RecordedMetric* acc = claim.FindMetric("acc,none");
  ASSERT_NE(acc, nullptr);
  EXPECT_EQ(acc->metric.value, 0.525);
  EXPECT_TRUE(acc->recomputed) << acc->not_recomputable;
  EXPECT_EQ(acc->samples, std::optional<uint64_t>(40));  // the two acc tasks
  EXPECT_EQ(acc->rule, "leaves/size/pooled");
  EXPECT_EQ(claim.transcript->samples, 60u);
  ASSERT_EQ(claim.tasks.size(), 3u);
  EXPECT_EQ(claim.tasks[2].name, "negotiationtom_intention");
  EXPECT_TRUE(claim.tasks[2].FindMetric("exact_match,none")->recomputed);
  EXPECT_FALSE(claim.tasks[2].FindMetric("micro_f1,none")->recomputed);  // an F1 over the run, not a mean
  ASSERT_EQ(claim.logs.size(), 4u);
  EXPECT_EQ(claim.logs[3].sha256, claim_testing::HexSha256(testing::ReadFileOrDie(paths[3])));
}

}  // namespace
}  // namespace assay
