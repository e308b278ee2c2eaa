// The claim and reproduction statements the code writes validate against
// schema/claim-statement.schema.json and schema/reproduction-statement.schema.json
// (Draft 2020-12, with Debian's python3-jsonschema), and statements the
// readers refuse are refused by the schemas too, so neither is vacuous.
//
// The same records are the examples in docs/spec/claim.md and
// docs/spec/transcript-root.md, and SpecExamplesAreCurrent fails when a page
// no longer shows what the code writes. After a deliberate format change,
// rewrite the pages' examples with
//   ASSAY_WRITE_EXAMPLES=1 build/tests/test_claim --gtest_filter=ClaimSchema.SpecExamplesAreCurrent
// and review the diff. The examples are deterministic: fixed salts, no keys
// (statements are unsigned) and no clock.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

#include "claim/claim_draft.h"
#include "claim/reproduction_draft.h"
#include "claim/sample_proof.h"
#include "claim/transcript_opening.h"
#include "claim_test_fixtures.h"
#include "file_system.h"
#include "record/model_statement.h"
#include "test_support.h"

namespace assay {
namespace {

using json = nlohmann::json;
using claim_testing::ChoiceSamples;

// Checks each file against the schema: "+FILE" must validate, "-FILE" must not.
constexpr char kValidator[] = R"(
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1], encoding="utf-8"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
wrong = 0
for arg in sys.argv[2:]:
    expect_valid, path = arg[0] == "+", arg[1:]
    errors = list(validator.iter_errors(json.load(open(path, encoding="utf-8"))))
    if expect_valid and errors:
        for error in errors:
            print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
        wrong += 1
    elif not expect_valid and not errors:
        print(f"{path}: the schema accepts a statement the reader refuses")
        wrong += 1
sys.exit(1 if wrong else 0)
)";

// A vendor's MMLU claim on 8 samples of 14042 (a partial run), whose log
// names the model by a local path.
EvalRun ExampleRun() {
  EvalRun run = claim_testing::MmluRun(ChoiceSamples(8, 6), 0.75);
  run.metrics[0].stderr_value = 0.1637;
  run.metrics.push_back({.name = "acc_norm,none",
                         .value = 0.875,
                         .stderr_value = 0.125,
                         .higher_is_better = true,
                         .aggregation = "mean",
                         .per_sample_key = ""});
  run.model_name = "/models/widget-7b";
  run.samples_total = 14042;
  return run;
}

// An MMLU-shaped group of two tasks, read with both tasks' samples: anatomy
// 3 of 4 right, astronomy 2 of 4; the group's 0.625 is lm-eval's
// size-weighted mean of the two.
EvalRun GroupExampleRun() {
  EvalRun run = claim_testing::MmluRun({}, 0.625);
  run.metrics[0].stderr_value = 0.1830;
  run.metrics[0].aggregation = "";
  run.metrics[0].per_sample_key = "";
  run.id_scheme = kLmEvalTaskIds;
  run.group_rules["acc,none"] = {"leaves/size/pooled", ""};
  run.groups = {{"mmlu", {"mmlu_anatomy", "mmlu_astronomy"}}};
  run.files.push_back({"results_2024-05-01T10-00-00.000001.json", claim_testing::HexSha256("results"), "results", ""});
  for (const auto& [task, right] : {std::pair<std::string, uint64_t>{"mmlu_anatomy", 3}, {"mmlu_astronomy", 2}}) {
    EvalTask part;
    part.name = task;
    part.version = "1";
    part.config = {{"num_fewshot", 5}, {"task_hash", claim_testing::HexSha256(task)}};
    part.metrics = {claim_testing::AccuracyMetric(static_cast<double>(right) / 4, 0.25)};
    part.samples_used = 4;
    part.samples_total = task == "mmlu_anatomy" ? 135 : 152;
    part.first_sample = run.samples.size();
    part.sample_count = 4;
    for (EvalSample sample : ChoiceSamples(4, right)) {
      sample.id = task + "/" + sample.id;
      run.samples.push_back(std::move(sample));
    }
    run.tasks.push_back(std::move(part));
    run.files.push_back({"samples_" + task + "_2024-05-01T10-00-00.000001.jsonl",
                         claim_testing::HexSha256("samples of " + task), "samples", task});
  }
  run.samples_used = 8;
  run.samples_total = 287;
  return run;
}

struct Examples {
  std::string group_claim_bytes;
  std::string not_comparable_bytes;  // a 0-shot rerun of the 5-shot claim, the chat template unrecorded
  std::string claim_bytes;
  std::string endpoint_claim_bytes;
  std::string reproduction_bytes;
  std::string different_weights_bytes;
  std::string opening;
  std::string sample_proof;
};

// Deterministic salts that look like the random ones real records carry.
std::function<TranscriptSalt()> ExampleSalts(const std::string& seed) {
  return [seed, count = 0]() mutable { return Sha256::Of(seed + " salt " + std::to_string(++count)); };
}

Examples MakeExamples() {
  Examples out;
  ModelRecord record = claim_testing::WidgetRecord();
  record.manifest.weights_roots[0].root = Sha256::Of(std::string_view("the weights of acme/widget-7b v1"));
  const EvalRun run = ExampleRun();
  ClaimDraftOptions claim_options{.metrics = {}, .force = false, .new_salt = ExampleSalts("vendor"), .derive_group_rule = ""};
  const ClaimDraft draft =
      *DraftClaim(run, BindToModelRecord(claim_testing::kModelRecordId, record), &record, claim_options);
  out.claim_bytes = *StatementBytes(ClaimStatement(draft.claim));
  out.opening = FormatTranscriptOpening(*draft.transcript->ToTranscript());
  const std::string claim_id = ToHex(Sha256::Of(out.claim_bytes));
  out.sample_proof = FormatSampleProof(*ProveSample(*draft.transcript->ToTranscript(), claim_id, "3/none"));
  out.group_claim_bytes = *StatementBytes(ClaimStatement(
      DraftClaim(GroupExampleRun(), BindToModelRecord(claim_testing::kModelRecordId, record), &record, claim_options)
          ->claim));

  ClaimBinding endpoint;
  endpoint.endpoint = Endpoint{.provider = "acme-api", .model = "widget-large-2024-09"};
  EvalRun hosted = ExampleRun();
  hosted.samples.clear();
  hosted.model_name = "acme-api/widget-large-2024-09";
  hosted.model_source = "openai-chat-completions";
  out.endpoint_claim_bytes =
      *StatementBytes(ClaimStatement(DraftClaim(hosted, endpoint, nullptr, claim_options)->claim));

  // The evaluator's run: 5 of the same 8 samples right.
  EvalRun mine = ExampleRun();
  mine.samples = ChoiceSamples(8, 5);
  mine.metrics[0].value = 0.625;
  mine.metrics[0].stderr_value = 0.183;
  mine.metrics[1].value = 0.75;
  ReproductionDraftOptions options{.margin = 2.0, .force = false, .accepted = {}, .new_salt = ExampleSalts("evaluator"), .plan = ""};
  const std::string root = draft.claim.binding.weights_root;
  out.reproduction_bytes = *StatementBytes(ReproductionStatement(
      DraftReproduction(claim_id, draft.claim, run.samples, mine, root, "safetensors", options)->reproduction));
  EvalRun zero_shot = mine;
  zero_shot.config["num_fewshot"] = 0;
  zero_shot.config["chat_template_sha256"] = ToHex(Sha256::Of(std::string_view("a chat template")));
  out.not_comparable_bytes = *StatementBytes(ReproductionStatement(
      DraftReproduction(claim_id, draft.claim, run.samples, zero_shot, root, "safetensors", options)->reproduction));
  const std::string other_root = ToHex(Sha256::Of(std::string_view("a re-upload")));
  out.different_weights_bytes = *StatementBytes(ReproductionStatement(
      DraftReproduction(claim_id, draft.claim, run.samples, mine, other_root, "safetensors", options)->reproduction));
  return out;
}

// Statements the readers refuse, each with one thing wrong.
std::vector<json> RefusedClaims(const json& claim, const json& endpoint) {
  std::vector<json> bad(6, claim);
  bad[0]["subject"].push_back(claim["subject"][0]);
  bad[0]["subject"][2]["name"] = "extra";
  bad[1]["predicate"]["metrics"][1].erase("notRecomputable");
  bad[2]["predicate"]["benchmark"].erase("partial");
  bad[3]["predicate"]["metrics"][0]["value"] = "0.75";
  bad[4] = endpoint;
  bad[4]["predicate"]["weightsRoot"] = claim["predicate"]["weightsRoot"];
  bad[5]["predicate"].erase("modelRecord");
  return bad;
}

std::vector<json> RefusedReproductions(const json& same, const json& different) {
  std::vector<json> bad = {same, same, different, different, same};
  bad[0]["predicate"]["verdicts"].push_back(different["predicate"]["verdicts"][0]);
  bad[1]["predicate"]["verdicts"][0]["intervalLow"] = -1.0;
  bad[1]["predicate"]["verdicts"][0]["intervalHigh"] = nullptr;
  bad[2]["predicate"]["verdicts"][0]["tier"] = "aggregates only";
  bad[3]["predicate"]["weightsMatch"] = true;
  bad[4]["subject"][0]["name"] = "model-record";
  return bad;
}

// Writes each statement to `dir` and returns the validator's arguments.
std::string Files(const testing::ScratchDir& dir, const std::string& stem, const std::vector<json>& statements,
                  bool expect_valid, const std::function<Status(const std::string&)>& reader) {
  std::string args;
  for (size_t i = 0; i < statements.size(); ++i) {
    const std::string bytes = *StatementBytes(statements[i]);
    EXPECT_EQ(reader(bytes).ok(), expect_valid) << stem << " " << i << ": " << reader(bytes).message();
    args += std::string(" ") + (expect_valid ? "+" : "-") + dir.Write(stem + std::to_string(i) + ".json", bytes);
  }
  return args;
}

void ExpectSchema(const std::string& schema, const std::string& args) {
  testing::ScratchDir dir;
  const std::string script = dir.Write("validate.py", kValidator);
  std::string output;
  const int status = testing::RunShell(
      "/usr/bin/python3 " + script + " " + std::string(ASSAY_SOURCE_DIR) + "/schema/" + schema + args, &output);
  EXPECT_EQ(status, 0) << output;
}

TEST(ClaimSchema, ClaimStatementsValidate) {
  const Examples examples = MakeExamples();
  const json claim = json::parse(examples.claim_bytes), endpoint = json::parse(examples.endpoint_claim_bytes);
  auto reader = [](const std::string& bytes) { return ParseClaimStatement(bytes).status(); };
  testing::ScratchDir dir;
  ExpectSchema("claim-statement.schema.json", Files(dir, "good", {claim, endpoint}, true, reader) +
                                                  Files(dir, "bad", RefusedClaims(claim, endpoint), false, reader));
}

TEST(ClaimSchema, GroupClaimStatementsValidate) {
  const json group = json::parse(MakeExamples().group_claim_bytes);
  ASSERT_EQ(group["predicateType"], "https://assay.dev/claim/v2");
  std::vector<json> bad(5, group);
  bad[0]["predicate"].erase("logs");
  bad[1]["predicate"]["transcript"]["idScheme"] = "harness";
  bad[2]["predicate"]["benchmark"]["tasks"][0]["metrics"][0]["rule"] = "leaves/size/pooled";
  bad[3]["predicate"]["benchmark"]["kind"] = "suite";
  bad[4]["predicate"]["logs"][1].erase("task");
  auto reader = [](const std::string& bytes) { return ParseClaimStatement(bytes).status(); };
  testing::ScratchDir dir;
  ExpectSchema("claim-statement-v2.schema.json",
               Files(dir, "good", {group}, true, reader) + Files(dir, "bad", bad, false, reader));
}

TEST(ClaimSchema, NotComparableReproductionsValidate) {
  const json reproduction = json::parse(MakeExamples().not_comparable_bytes);
  ASSERT_EQ(reproduction["predicateType"], "https://assay.dev/reproduction/v2");
  ASSERT_EQ(reproduction["predicate"]["verdicts"][0]["verdict"], "not comparable");
  std::vector<json> bad(4, reproduction);
  bad[0]["predicate"].erase("comparability");
  bad[0]["predicate"]["verdicts"][0]["verdict"] = "not reproduced";
  bad[0]["predicate"]["verdicts"][1]["verdict"] = "inconclusive";
  bad[1]["predicate"]["acceptedDifferences"] = json::array({{{"field", "num_fewshot"}, {"reason", ""}}});
  bad[2]["predicateType"] = "https://assay.dev/reproduction/v1";
  bad[3]["predicate"]["comparability"]["differences"][0].erase("claimed");
  auto reader = [](const std::string& bytes) { return ParseReproductionStatement(bytes).status(); };
  testing::ScratchDir dir;
  ExpectSchema("reproduction-statement-v2.schema.json",
               Files(dir, "good", {reproduction}, true, reader) + Files(dir, "bad", bad, false, reader));
}

TEST(ClaimSchema, ReproductionStatementsValidate) {
  const Examples examples = MakeExamples();
  const json same = json::parse(examples.reproduction_bytes);
  const json different = json::parse(examples.different_weights_bytes);
  auto reader = [](const std::string& bytes) { return ParseReproductionStatement(bytes).status(); };
  testing::ScratchDir dir;
  ExpectSchema("reproduction-statement.schema.json",
               Files(dir, "good", {same, different}, true, reader) +
                   Files(dir, "bad", RefusedReproductions(same, different), false, reader));
}

// One example as a spec page shows it: the fenced block that follows the
// line `anchor` on `page` (relative to the source tree) holds `text`.
struct SpecExample {
  std::string page;
  std::string anchor;
  std::string text;  // the block's lines, each ending in a newline
};

// `members` of `statement`, in the order given (a page shows the part that
// matters first); a "subject" or "predicate.NAME" path each.
std::string Excerpt(const std::string& statement_bytes, const std::vector<std::string>& members) {
  const nlohmann::ordered_json statement = nlohmann::ordered_json::parse(statement_bytes);
  nlohmann::ordered_json excerpt = nlohmann::ordered_json::object();
  for (const std::string& member : members) {
    if (member.starts_with("predicate.")) {
      excerpt["predicate"][member.substr(10)] = statement["predicate"].at(member.substr(10));
    } else {
      excerpt[member] = statement.at(member);
    }
  }
  return excerpt.dump(2) + "\n";
}

std::vector<SpecExample> SpecExamples(const Examples& examples) {
  auto pretty = [](const std::string& bytes) { return json::parse(bytes).dump(2) + "\n"; };
  const std::string opening_head = examples.opening.substr(
      0, examples.opening.find('\n', examples.opening.find('\n') + 1) + 1);
  return {
      {"docs/spec/claim.md", "### Example: a claim bound to weights", pretty(examples.claim_bytes)},
      {"docs/spec/claim-v2.md", "### Example: a group claim",
       Excerpt(examples.group_claim_bytes, {"predicateType", "predicate.benchmark", "predicate.metrics",
                                            "predicate.logs", "predicate.transcript"})},
      {"docs/spec/claim.md", "### Example: a claim about an endpoint",
       Excerpt(examples.endpoint_claim_bytes,
               {"subject", "predicate.boundToWeights", "predicate.endpoint", "predicate.logModel"})},
      {"docs/spec/claim.md", "### Example: same weights", pretty(examples.reproduction_bytes)},
      {"docs/spec/claim-v2.md", "### Example: a rerun that is not comparable",
       Excerpt(examples.not_comparable_bytes, {"predicateType", "predicate.comparability", "predicate.verdicts"})},
      {"docs/spec/claim.md", "### Example: different weights",
       Excerpt(examples.different_weights_bytes,
               {"subject", "predicate.claim", "predicate.weightsMatch", "predicate.weightsRoot",
                "predicate.weightsFormat", "predicate.margin", "predicate.verdicts"})},
      {"docs/spec/transcript-root.md",
       "An example, the first lines of the opening of the claim in [claim.md](claim.md):", opening_head + "...\n"},
      {"docs/spec/transcript-root.md", "The proof of sample `3/none` of the example claim:", examples.sample_proof},
  };
}

// The [begin, end) byte range of the block's lines after `anchor`, or nullopt.
std::optional<std::pair<size_t, size_t>> BlockAfter(const std::string& page, const std::string& anchor) {
  const size_t line = page.find("\n" + anchor + "\n");
  if (line == std::string::npos) return std::nullopt;
  const size_t fence = page.find("\n```", line + anchor.size() + 1);
  if (fence == std::string::npos) return std::nullopt;
  const size_t begin = page.find('\n', fence + 1) + 1;
  const size_t end = page.find("\n```", begin - 1);
  if (begin == 0 || end == std::string::npos) return std::nullopt;
  return std::make_pair(begin, end + 1);
}

// The sentence in claim.md that names the example claim's id.
constexpr char kClaimIdSentence[] = "(the example claim's id is\n`";

TEST(ClaimSchema, SpecExamplesAreCurrent) {
  const Examples examples = MakeExamples();
  // Deterministic: a second run writes the same bytes.
  const Examples again = MakeExamples();
  ASSERT_EQ(examples.claim_bytes, again.claim_bytes);
  ASSERT_EQ(examples.reproduction_bytes, again.reproduction_bytes);
  ASSERT_EQ(examples.opening, again.opening);

  const bool rewrite = std::getenv("ASSAY_WRITE_EXAMPLES") != nullptr;
  const std::string hint =
      "; if the format changed on purpose, run ASSAY_WRITE_EXAMPLES=1 build/tests/test_claim "
      "--gtest_filter=ClaimSchema.SpecExamplesAreCurrent and review the diff";
  std::map<std::string, std::string> pages;
  for (const SpecExample& example : SpecExamples(examples)) {
    if (pages.count(example.page) == 0) {
      pages[example.page] = testing::ReadFileOrDie(std::string(ASSAY_SOURCE_DIR) + "/" + example.page);
    }
    std::string& page = pages[example.page];
    std::optional<std::pair<size_t, size_t>> block = BlockAfter(page, example.anchor);
    ASSERT_TRUE(block) << example.page << ": no fenced block after the line \"" << example.anchor << "\"";
    const std::string shown = page.substr(block->first, block->second - block->first);
    if (rewrite) {
      page.replace(block->first, block->second - block->first, example.text);
    } else {
      EXPECT_EQ(shown, example.text) << example.page << ", \"" << example.anchor << "\": stale example" << hint;
    }
  }

  std::string& claim_page = pages["docs/spec/claim.md"];
  const size_t sentence = claim_page.find(kClaimIdSentence);
  ASSERT_NE(sentence, std::string::npos) << "docs/spec/claim.md no longer names the example claim's id";
  const size_t id_at = sentence + std::strlen(kClaimIdSentence);
  const std::string claim_id = ToHex(Sha256::Of(examples.claim_bytes));
  if (rewrite) {
    claim_page.replace(id_at, claim_id.size(), claim_id);
    for (const auto& [page, text] : pages) {
      const std::string path = std::string(ASSAY_SOURCE_DIR) + "/" + page;
      ASSERT_TRUE(LocalFileSystem().WriteFileAtomically(path, text).ok()) << path;
    }
    GTEST_SKIP() << "rewrote the examples in docs/spec/claim.md and docs/spec/transcript-root.md";
  }
  EXPECT_EQ(claim_page.substr(id_at, claim_id.size()), claim_id)
      << "docs/spec/claim.md: the example claim's id is stale" << hint;
}

}  // namespace
}  // namespace assay
