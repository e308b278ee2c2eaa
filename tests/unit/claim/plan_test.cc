// Plans (docs/spec/plan.md): the record reads back only in the form it is
// written, its subject names its content, hostile plan files are refused
// naming the field, and a run is checked against its plan field by field.
#include <gtest/gtest.h>

#include "claim/plan_check.h"
#include "json/canonical_json.h"
#include "record/in_toto.h"
#include "record/plan_statement.h"

namespace assay {
namespace {

using json = nlohmann::json;

json PlanFile() {
  return json::parse(R"({
    "model": {"name": "acme/tiny", "revision": "v1"},
    "benchmarks": [
      {"name": "mmlu", "metrics": ["acc,none"], "evalConfig": {"num_fewshot": 5, "generation": {"temperature": 0}}},
      {"name": "gsm8k", "metrics": ["exact_match,strict-match"]}
    ],
    "margin": 2,
    "note": "registered before the run"
  })");
}

Result<Plan> Read(const json& predicate) { return ReadPlanPredicate(Fields(predicate, "plan")); }

TEST(Plan, TheRecordNamesItsContentAndReadsBackWhole) {
  Result<Plan> plan = Read(PlanFile());
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  const json statement = PlanStatement(*plan);
  EXPECT_EQ(statement["predicateType"], kPlanPredicateType);
  EXPECT_EQ(statement["subject"][0]["digest"]["sha256"], CanonicalJsonSha256(statement["predicate"]));
  Result<Plan> back = ParsePlanStatement(statement.dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->model_name, "acme/tiny");
  EXPECT_EQ(back->revision, "v1");
  ASSERT_EQ(back->benchmarks.size(), 2u);
  EXPECT_EQ(back->benchmarks[0].config["num_fewshot"], 5);
  EXPECT_EQ(back->margin, 2.0);

  json edited = statement;
  edited["predicate"]["benchmarks"][0]["evalConfig"]["num_fewshot"] = 0;  // the subject no longer names it
  EXPECT_FALSE(ParsePlanStatement(edited.dump()).ok());
  // A member a later version adds is passed over (the subject covers it);
  // one of this version's, of the wrong type, is not.
  edited = statement;
  edited["predicate"]["witnessPolicy"] = "any";
  edited["predicate"]["benchmarks"][0]["evalConfig"]["sampler"] = "new";
  edited["subject"][0]["digest"]["sha256"] = CanonicalJsonSha256(edited["predicate"]);
  Result<Plan> later = ParsePlanStatement(edited.dump());
  ASSERT_TRUE(later.ok()) << later.status().message();
  EXPECT_FALSE(later->benchmarks[0].config.contains("sampler"));
  edited["predicate"]["benchmarks"][0]["evalConfig"]["num_fewshot"] = "5";
  edited["subject"][0]["digest"]["sha256"] = CanonicalJsonSha256(edited["predicate"]);
  EXPECT_FALSE(ParsePlanStatement(edited.dump()).ok());
}

TEST(Plan, AHostilePlanFileIsRefusedNamingTheField) {
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"plan.surprise", [](json& p) { p["surprise"] = 1; }},
      {"plan.model", [](json& p) { p.erase("model"); }},
      {"plan.benchmarks", [](json& p) { p["benchmarks"] = json::array(); }},
      {"plan.benchmarks[1].name", [](json& p) { p["benchmarks"][1]["name"] = "mmlu"; }},
      {"plan.benchmarks[0].metrics", [](json& p) { p["benchmarks"][0]["metrics"] = json::array(); }},
      {"plan.benchmarks[0].metrics[1]", [](json& p) { p["benchmarks"][0]["metrics"].push_back("acc,none"); }},
      {"plan.benchmarks[0].evalConfig.seed", [](json& p) { p["benchmarks"][0]["evalConfig"]["seed"] = 1; }},
      {"plan.benchmarks[0].evalConfig.num_fewshot",
       [](json& p) { p["benchmarks"][0]["evalConfig"]["num_fewshot"] = "five"; }},
      {"plan.benchmarks[0].evalConfig.chat_template_sha256",
       [](json& p) { p["benchmarks"][0]["evalConfig"]["chat_template_sha256"] = "ABC"; }},
      {"plan.margin", [](json& p) { p["margin"] = -1; }},
  };
  for (const auto& [field, edit] : cases) {
    json predicate = PlanFile();
    edit(predicate);
    Result<Plan> plan = Read(predicate);
    ASSERT_FALSE(plan.ok()) << field;
    EXPECT_EQ(plan.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(plan.status().message().find(field), std::string::npos) << plan.status().message();
  }
}

// A claimed mmlu run as its record summarizes it.
EvalSummary MmluRun(int num_fewshot, std::vector<std::string> metrics) {
  EvalSummary eval;
  eval.benchmark = "mmlu";
  eval.config = {{"num_fewshot", num_fewshot}, {"generation", {{"temperature", 0}, {"top_p", 1}}}};
  for (const std::string& name : metrics) {
    RecordedMetric metric;
    metric.metric.name = name;
    eval.metrics.push_back(metric);
  }
  return eval;
}

TEST(Plan, ARunIsCheckedAgainstWhatItsPlanFixed) {
  const Plan plan = *Read(PlanFile());
  const EvalSummary as_planned = MmluRun(5, {"acc,none"});
  PlanFollowing following = CheckPlanFollowed(plan, {"acme/tiny", "v1", &as_planned, std::nullopt});
  EXPECT_TRUE(following.followed()) << following.Describe();
  EXPECT_EQ(following.Describe(), "followed");  // top_p was left open by the plan

  const EvalSummary otherwise = MmluRun(0, {"acc,none", "acc_norm,none"});
  following = CheckPlanFollowed(plan, {"acme/tiny", "v2", &otherwise, 1.0});
  EXPECT_EQ(following.deviations,
            (std::vector<std::string>{"revision v1 vs v2", "metric acc_norm,none was not planned", "num_fewshot 5 vs 0",
                                      "margin 2 vs 1"}));

  EvalSummary unrecorded = MmluRun(5, {});
  unrecorded.config.erase("generation");
  following = CheckPlanFollowed(plan, {"acme/tiny", "v1", &unrecorded, std::nullopt});
  EXPECT_EQ(following.Describe(),
            "NOT FOLLOWED: planned metric acc,none is not reported; not recorded in the log: generation.temperature");

  EvalSummary unplanned = MmluRun(5, {"acc,none"});
  unplanned.benchmark = "hellaswag";
  following = CheckPlanFollowed(plan, {"acme/tiny", "v1", &unplanned, std::nullopt});
  EXPECT_EQ(following.deviations, std::vector<std::string>{"benchmark hellaswag is not in the plan"});
}

TEST(Plan, AGroupRunIsCheckedTaskByTask) {
  Plan plan = *Read(PlanFile());
  EvalSummary group = MmluRun(5, {"acc,none"});
  for (const char* name : {"mmlu_anatomy", "mmlu_law"}) {
    TaskSummary task;
    task.name = name;
    task.config = {{"num_fewshot", std::string(name) == "mmlu_law" ? 0 : 5}, {"generation", {{"temperature", 0}}}};
    group.tasks.push_back(task);
  }
  const PlanFollowing following = CheckPlanFollowed(plan, {"acme/tiny", "v1", &group, std::nullopt});
  EXPECT_EQ(following.deviations, std::vector<std::string>{"mmlu_law: num_fewshot 5 vs 0"});
}

TEST(Plan, OnlyAWitnessedCheckpointCoveringThePlanDatesIt) {
  PlanReport report;
  report.position = 4;                 // the plan is the ledger's fifth record
  report.run_started = 1772600767;     // 2026-03-04T05:06:07Z
  JudgeRegistration(report, {});
  EXPECT_EQ(report.registration, "registration time not witnessed");
  // A checkpoint of the first four records does not cover it.
  JudgeRegistration(report, {{"early.note", 4, "witness-a", 1772600000}});
  EXPECT_EQ(report.registration, "registration time not witnessed (no cosigned checkpoint given covers it)");
  EXPECT_FALSE(report.registered_late);
  // The earliest covering cosignature counts.
  JudgeRegistration(report, {{"late.note", 9, "witness-b", 1772700000}, {"cp.note", 5, "witness-a", 1772600700}});
  EXPECT_EQ(report.registration,
            "registered before the run: witness-a cosigned a checkpoint covering it at 2026-03-04T05:05:00Z; the run "
            "started at 2026-03-04T05:06:07Z");
  EXPECT_FALSE(report.registered_late);
  JudgeRegistration(report, {{"late.note", 9, "witness-b", 1772700000}});
  EXPECT_TRUE(report.registered_late);
  EXPECT_NE(report.registration.find("NOT REGISTERED BEFORE THE RUN"), std::string::npos);
  report.run_started.reset();
  JudgeRegistration(report, {{"late.note", 9, "witness-b", 1772700000}});
  EXPECT_FALSE(report.registered_late);
  EXPECT_NE(report.registration.find("the run's log records no start time"), std::string::npos);
}

}  // namespace
}  // namespace assay
