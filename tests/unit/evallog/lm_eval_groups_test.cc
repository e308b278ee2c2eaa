#include "evallog/lm_eval_groups.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "json/lenient_json.h"
#include "test_support.h"

namespace assay {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;
using Rule = LmEvalGroupRule;

// The expected numbers below were computed in Python with lm-eval's own
// formulas (lm_eval/api/metrics.py: aggregate_subtask_metrics,
// pooled_sample_stderr; 0.4.0's evaluator.py for the combined rule).

json Leaf(double value, double stderr_value, uint64_t size) {
  return {{"acc,none", value}, {"acc_stderr,none", stderr_value}, {"sample_len", size}};
}

// G = [S1, c], S1 = [a, b]: unequal sizes, so every rule gives other numbers.
json NestedResults(json group_row) {
  return {{"results",
           {{"a", Leaf(0.9, 0.03, 100)}, {"b", Leaf(0.5, 0.16, 10)}, {"c", Leaf(0.2, 0.05, 50)},
            {"S1", {{"alias", " - S1"}}}, {"G", std::move(group_row)}}},
          {"group_subtasks", {{"G", {"S1", "c"}}, {"S1", {"a", "b"}}, {"a", json::array()}}}};
}

json GroupRow(double value, double stderr_value) { return {{"acc,none", value}, {"acc_stderr,none", stderr_value}}; }

LmEvalGroupTable TableOrDie(const json& results) {
  Result<LmEvalGroupTable> table = LmEvalGroupTable::FromResults(results);
  EXPECT_TRUE(table.ok()) << table.status().message();
  return std::move(*table);
}

TEST(LmEvalGroups, RealNegotiationTomGroupIsTheSizeWeightedPooledMeanOfItsAccSubtasks) {
  ASSAY_REQUIRE_REALDATA();
  Result<json> results = ParseLenientJson(testing::ReadFileOrDie(
      testing::RealDataDir() + "/eval/lm-evaluation-harness__results_2026-07-08T16-04-34.219874.json"));
  ASSERT_TRUE(results.ok()) << results.status().message();
  LmEvalGroupTable table = TableOrDie(*results);
  EXPECT_EQ(table.LeafTasks("negotiationtom"),
            (std::vector<std::string>{"negotiationtom_belief", "negotiationtom_desire", "negotiationtom_intention"}));

  Result<GroupRuleMatch> acc = MatchGroupRule(table, "negotiationtom", "acc,none");
  ASSERT_TRUE(acc.ok()) << acc.status().message();
  EXPECT_EQ(acc->rule.Name(), "leaves/size/pooled");
  EXPECT_DOUBLE_EQ(acc->recomputed.value, 0.525);
  EXPECT_DOUBLE_EQ(*acc->recomputed.stderr_value, 0.08009040943964843);
  EXPECT_EQ(acc->recomputed.size, 40u);  // the two acc subtasks; sample_count says 40
  EXPECT_EQ(acc->logged.size, 40u);

  // micro_f1 has no stderr ("N/A") in its one subtask, and none in the group.
  Result<GroupRuleMatch> f1 = MatchGroupRule(table, "negotiationtom", "micro_f1,none");
  ASSERT_TRUE(f1.ok()) << f1.status().message();
  EXPECT_FALSE(f1->recomputed.stderr_value.has_value());
  EXPECT_DOUBLE_EQ(f1->recomputed.value, 0.30188679245283023);
}

TEST(LmEvalGroups, EachRuleOfANestedGroupOfUnequalSizesIsTold) {
  struct Case {
    double value, stderr_value;
    std::string rule;
  };
  for (const Case& c : {Case{0.65625, 0.0262725487017652, "leaves/size/pooled"},
                        Case{0.5333333333333333, 0.0262725487017652, "leaves/equal/pooled"},
                        Case{0.65625, 0.026267574988578422, "members/size/pooled"},
                        Case{0.44999999999999996, 0.026267574988578422, "members/equal/pooled"}}) {
    LmEvalGroupTable table = TableOrDie(NestedResults(GroupRow(c.value, c.stderr_value)));
    Result<GroupRuleMatch> match = MatchGroupRule(table, "G", "acc,none");
    ASSERT_TRUE(match.ok()) << c.rule << ": " << match.status().message();
    EXPECT_EQ(match->rule.Name(), c.rule);
    EXPECT_EQ(match->recomputed.size, 160u);
  }
}

TEST(LmEvalGroups, TheCombinedRuleOfLmEval040) {
  const std::vector<GroupMemberScore> members = {{0.9, 0.03, 100}, {0.5, 0.16, 10}};
  GroupMemberScore combined = AggregateGroupScores(members, true, Rule::Stderr::kCombined);
  EXPECT_DOUBLE_EQ(combined.value, 0.8636363636363636);
  EXPECT_DOUBLE_EQ(*combined.stderr_value, 0.11815103386016135);
  GroupMemberScore pooled = AggregateGroupScores(members, true, Rule::Stderr::kPooled);
  EXPECT_DOUBLE_EQ(*pooled.stderr_value, 0.030723596696015164);
  EXPECT_DOUBLE_EQ(AggregateGroupScores(members, false, Rule::Stderr::kPooled).value, 0.7);

  json results = {{"results", {{"a", Leaf(0.9, 0.03, 100)}, {"b", Leaf(0.5, 0.16, 10)},
                               {"G", GroupRow(0.8636363636363636, 0.11815103386016135)}}},
                  {"group_subtasks", {{"G", {"a", "b"}}}}};
  Result<GroupRuleMatch> match = MatchGroupRule(TableOrDie(results), "G", "acc,none");
  ASSERT_TRUE(match.ok()) << match.status().message();
  EXPECT_EQ(match->rule.Name(), "members/size/combined");
  EXPECT_THAT(match->rule.Describe(), HasSubstr("0.4.0 and 0.4.1"));
}

TEST(LmEvalGroups, AGroupRowWithoutAScoreHasNoGroupScore) {
  // The leaderboard's groups write {" ": " "}.
  LmEvalGroupTable table = TableOrDie(NestedResults({{" ", " "}, {"alias", "G"}}));
  Result<GroupRuleMatch> match = MatchGroupRule(table, "G", "acc,none");
  ASSERT_FALSE(match.ok());
  EXPECT_EQ(match.status().kind(), ErrorKind::kNotFound);
  EXPECT_THAT(match.status().message(), HasSubstr("no group score in the log"));
  // assay can still recompute one, by a rule it names.
  std::optional<GroupMemberScore> derived = table.Recompute("G", "acc,none", LmEvalGroupRules()[0]);
  ASSERT_TRUE(derived.has_value());
  EXPECT_DOUBLE_EQ(derived->value, 0.65625);
}

TEST(LmEvalGroups, AScoreNoRuleGivesIsRefusedNamingBothNumbers) {
  LmEvalGroupTable table = TableOrDie(NestedResults(GroupRow(0.7, 0.02)));
  Result<GroupRuleMatch> match = MatchGroupRule(table, "G", "acc,none");
  ASSERT_FALSE(match.ok());
  EXPECT_EQ(match.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(match.status().message(), HasSubstr("the log says 0.7 ± 0.02"));
  EXPECT_THAT(match.status().message(), HasSubstr("leaves/size/pooled gives 0.65625 ± 0.0262725487"));
}

TEST(LmEvalGroups, RecomputedLeafScoresReplaceTheLoggedOnes) {
  LmEvalGroupTable table = TableOrDie(NestedResults(GroupRow(0.65625, 0.0262725487017652)));
  std::optional<GroupMemberScore> group =
      table.Recompute("G", "acc,none", LmEvalGroupRules()[0], {{"c", GroupMemberScore{0.4, 0.05, 50}}});
  ASSERT_TRUE(group.has_value());
  EXPECT_DOUBLE_EQ(group->value, (0.9 * 100 + 0.5 * 10 + 0.4 * 50) / 160);
}

TEST(LmEvalGroups, ASubtaskWithoutASizeCannotBeWeighed) {
  json results = NestedResults(GroupRow(0.65625, 0.0262725487017652));
  results["results"]["b"].erase("sample_len");
  Result<GroupRuleMatch> match = MatchGroupRule(TableOrDie(results), "G", "acc,none");
  ASSERT_FALSE(match.ok());
  EXPECT_THAT(match.status().message(), HasSubstr("sizes are not all in the log"));
  // n-samples' effective count serves where sample_len is absent.
  results["n-samples"] = {{"b", {{"original", 400}, {"effective", 10}}}};
  Result<GroupRuleMatch> counted = MatchGroupRule(TableOrDie(results), "G", "acc,none");
  EXPECT_TRUE(counted.ok()) << counted.status().message();
}

TEST(LmEvalGroups, HostileGroupTablesAreRefused) {
  struct Case {
    json results;
    std::string message;
  };
  json self_loop = NestedResults(GroupRow(0.5, 0.1));
  self_loop["group_subtasks"]["S1"] = {"a", "G"};
  json not_a_name = NestedResults(GroupRow(0.5, 0.1));
  not_a_name["group_subtasks"]["G"] = {"S1", 7};
  json bad_value = NestedResults(GroupRow(0.5, 0.1));
  bad_value["results"]["a"]["acc,none"] = "high";
  json bad_stderr = NestedResults(GroupRow(0.5, 0.1));
  bad_stderr["results"]["a"]["acc_stderr,none"] = json::array();
  for (const Case& c : {Case{self_loop, "contains itself"}, Case{not_a_name, "is not a task name"},
                        Case{bad_value, "is not a number"}, Case{bad_stderr, "is not a number or \"N/A\""},
                        Case{json::array(), "\"results\" is not an object"},
                        Case{{{"results", json::object()}, {"group_subtasks", {{"G", "a"}}}}, "is not a list"}}) {
    Result<LmEvalGroupTable> table = LmEvalGroupTable::FromResults(c.results);
    ASSERT_FALSE(table.ok()) << c.message;
    EXPECT_EQ(table.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_THAT(table.status().message(), HasSubstr(c.message));
  }
}

TEST(LmEvalGroups, RuleNamesRoundTrip) {
  for (const Rule& rule : LmEvalGroupRules()) EXPECT_EQ(LmEvalGroupRuleNamed(rule.Name()), rule);
  EXPECT_FALSE(LmEvalGroupRuleNamed("leaves/median/pooled").has_value());
}

}  // namespace
}  // namespace assay
