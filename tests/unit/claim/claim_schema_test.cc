// The claim and reproduction statements the code writes validate against
// schema/claim-statement.schema.json and schema/reproduction-statement.schema.json
// (Draft 2020-12, with Debian's python3-jsonschema), and statements the
// readers refuse are refused by the schemas too, so neither is vacuous.
//
// The same records are the examples in docs/spec/claim.md and
// docs/spec/transcript-root.md: with ASSAY_WRITE_EXAMPLES=DIR set, this test
// also writes them, pretty-printed, to DIR.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "claim/claim_draft.h"
#include "claim/reproduction_draft.h"
#include "claim/sample_proof.h"
#include "claim/transcript_opening.h"
#include "claim_test_fixtures.h"
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

struct Examples {
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
  ClaimDraftOptions claim_options{.metrics = {}, .force = false, .new_salt = ExampleSalts("vendor")};
  const ClaimDraft draft =
      *DraftClaim(run, BindToModelRecord(claim_testing::kModelRecordId, record), &record, claim_options);
  out.claim_bytes = *StatementBytes(ClaimStatement(draft.claim));
  out.opening = FormatTranscriptOpening(*draft.transcript);
  const std::string claim_id = ToHex(Sha256::Of(out.claim_bytes));
  out.sample_proof = FormatSampleProof(*ProveSample(*draft.transcript, claim_id, "3/none"));

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
  ReproductionDraftOptions options{.margin = 2.0, .force = false, .new_salt = ExampleSalts("evaluator")};
  const std::string root = draft.claim.binding.weights_root;
  out.reproduction_bytes = *StatementBytes(ReproductionStatement(
      DraftReproduction(claim_id, draft.claim, run.samples, mine, root, "safetensors", options)->reproduction));
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

TEST(ClaimSchema, WritesTheSpecExamplesWhenAsked) {
  const char* dir = std::getenv("ASSAY_WRITE_EXAMPLES");
  if (dir == nullptr) GTEST_SKIP() << "set ASSAY_WRITE_EXAMPLES=DIR to write docs/spec's examples";
  const Examples examples = MakeExamples();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(std::filesystem::path(dir) / name) << text;
  };
  write("claim.json", json::parse(examples.claim_bytes).dump(2) + "\n");
  write("claim-endpoint.json", json::parse(examples.endpoint_claim_bytes).dump(2) + "\n");
  write("reproduction.json", json::parse(examples.reproduction_bytes).dump(2) + "\n");
  write("reproduction-different-weights.json", json::parse(examples.different_weights_bytes).dump(2) + "\n");
  write("claim.bytes", examples.claim_bytes);
  write("opening.jsonl", examples.opening);
  write("sample-proof.json", examples.sample_proof);
}

}  // namespace
}  // namespace assay
