// A whole lm-eval run claimed in one go (AttestClaims with --all or several
// --task): one claim per top-level benchmark, every one checked before any is
// signed, all appended together, and a second claim of the same files by the
// same signer refused unless asked for again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "claim/synthetic_eval.h"
#include "evallog/jsonl_transcript.h"
#include "lm_eval_run_fixture.h"
#include "ops/attest_claim.h"
#include "ops/publish.h"
#include "ops_fixture.h"

namespace assay {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

// G = [a, b], and the tasks d and e in no group: three top-level benchmarks.
class WholeRunClaim : public testing::OpsFixture {
 protected:
  // Several claims put their openings in the working folder: the scratch folder here.
  WholeRunClaim() : working_folder_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir_.path());
    AddParty("acme", {TrustRole::kVendor});
    CreateLedger();
    SignAs("acme");
    spec_.tasks = {{"a", 40, 30}, {"b", 10, 4}, {"d", 20, 11}, {"e", 30, 9}};
    spec_.group_subtasks = {{"G", {"a", "b"}}};
    results_ = testing::WriteLmEvalRun(dir_, "run", spec_, LmEvalGroupRules()[0]);
  }

  ~WholeRunClaim() override { std::filesystem::current_path(working_folder_); }

  std::string Folder() const { return (dir_.path() / "run").string(); }

  AttestClaimRequest All() const {
    AttestClaimRequest request;
    request.logs = {Folder()};
    request.endpoint = "acme/widget";
    request.all = true;
    return request;
  }

  uint64_t LedgerSize() {
    Result<std::unique_ptr<Ledger>> ledger = OpenLedger(*context_, /*create=*/false);
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    return *(*ledger)->index().Count();
  }

  std::vector<std::string> Benchmarks(const AttestedClaims& attested) const {
    std::vector<std::string> names;
    for (const AttestedClaim& claim : attested.claims) names.push_back(claim.claim.eval.benchmark);
    return names;
  }

  std::filesystem::path working_folder_;
  testing::LmEvalRunSpec spec_;
  json results_;
};

TEST_F(WholeRunClaim, AllClaimsEveryTopLevelBenchmarkInOneAppend) {
  const uint64_t before = LedgerSize();
  Result<AttestedClaims> attested = AttestClaims(*context_, All());
  ASSERT_TRUE(attested.ok()) << attested.status().message();
  EXPECT_EQ(Benchmarks(*attested), (std::vector<std::string>{"G", "d", "e"}));
  EXPECT_EQ(LedgerSize(), before + 3);
  // One hold of the lock: each in its own commit, at consecutive positions.
  const uint64_t first = attested->claims[0].published.appended->position;
  for (size_t i = 0; i < attested->claims.size(); ++i) {
    const AttestedClaim& claim = attested->claims[i];
    EXPECT_EQ(claim.published.appended->position, first + i);
    ASSERT_TRUE(claim.transcript_file.has_value());
    EXPECT_TRUE(std::filesystem::exists(*claim.transcript_file)) << *claim.transcript_file;
    EXPECT_FALSE(claim.claim.eval.logs.empty());
  }
  EXPECT_TRUE(attested->claims[0].claim.eval.is_group());
  EXPECT_EQ(attested->claims[0].claim.eval.transcript->samples, 50u);
  EXPECT_EQ(attested->claims[1].claim.eval.logs.size(), 2u);  // d's results and samples files
}

TEST_F(WholeRunClaim, ASecondClaimOfTheSameFilesNamesTheClaimsAndSignsNothing) {
  Result<AttestedClaims> first = AttestClaims(*context_, All());
  ASSERT_TRUE(first.ok()) << first.status().message();
  const uint64_t after_first = LedgerSize();
  Result<AttestedClaims> second = AttestClaims(*context_, All());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().kind(), ErrorKind::kCheckFailed);
  for (const AttestedClaim& claim : first->claims) {
    EXPECT_THAT(second.status().message(),
                HasSubstr(claim.claim.eval.benchmark + " in claim " + claim.published.id.substr(0, 16)));
  }
  EXPECT_THAT(second.status().message(), HasSubstr("--again"));
  EXPECT_EQ(LedgerSize(), after_first);

  // One task of the run alone is refused too; another signer, or --again, signs.
  AttestClaimRequest one = All();
  one.all = false;
  one.tasks = {"d"};
  EXPECT_EQ(AttestClaims(*context_, one).status().kind(), ErrorKind::kCheckFailed);
  AttestClaimRequest again = All();
  again.again = true;
  ASSERT_TRUE(AttestClaims(*context_, again).ok());
  EXPECT_EQ(LedgerSize(), after_first + 3);
  AddParty("other", {TrustRole::kVendor});
  SignAs("other");
  EXPECT_TRUE(AttestClaims(*context_, All()).ok());
}

TEST_F(WholeRunClaim, OneUnsupportedScoreSignsNoneOfTheRun) {
  results_["results"]["e"]["acc,none"] = 0.5;  // its 30 rows average 0.3
  dir_.Write("run/results_" + spec_.stamp + ".json", results_.dump(2));
  const uint64_t before = LedgerSize();
  Result<AttestedClaims> attested = AttestClaims(*context_, All());
  ASSERT_FALSE(attested.ok());
  EXPECT_EQ(attested.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(attested.status().message(), HasSubstr("e: refusing to sign: acc,none"));
  EXPECT_EQ(LedgerSize(), before);
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_FALSE(entry.path().filename().string().ends_with(".transcript.jsonl")) << entry.path();
  }
}

TEST_F(WholeRunClaim, RepeatedTasksClaimThoseNamedAndSingleFileOptionsAreRefused) {
  AttestClaimRequest request = All();
  request.all = false;
  request.tasks = {"e", "G"};
  Result<AttestedClaims> attested = AttestClaims(*context_, request);
  ASSERT_TRUE(attested.ok()) << attested.status().message();
  EXPECT_EQ(Benchmarks(*attested), (std::vector<std::string>{"e", "G"}));

  AttestClaimRequest both = All();
  both.tasks = {"d"};
  EXPECT_THAT(AttestClaims(*context_, both).status().message(), HasSubstr("give --all or --task, not both"));
  AttestClaimRequest one_opening = All();
  one_opening.again = true;
  one_opening.transcript_out = (dir_.path() / "opening.jsonl").string();
  Result<AttestedClaims> refused = AttestClaims(*context_, one_opening);
  EXPECT_EQ(refused.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(refused.status().message(), HasSubstr("--transcript-out and -o name one file"));
}

TEST_F(WholeRunClaim, AllOfALogOfOneBenchmarkIsItsOneClaim) {
  SyntheticEvalSpec spec;
  spec.samples = 50;
  spec.model_name = "acme/widget";
  const std::string log = dir_.Write("one.jsonl", FormatJsonlTranscript(SyntheticEvalRun(spec)));
  AttestClaimRequest request = All();
  request.logs = {log};
  Result<AttestedClaims> attested = AttestClaims(*context_, request);
  ASSERT_TRUE(attested.ok()) << attested.status().message();
  EXPECT_EQ(Benchmarks(*attested), std::vector<std::string>{"demo-qa"});
  EXPECT_EQ(attested->claims[0].claim.eval.logs.at(0).role, "log");
  request.all = false;
  request.tasks = {"demo-qa", "other"};
  EXPECT_THAT(AttestClaims(*context_, request).status().message(), HasSubstr("holds one task"));
}

TEST_F(WholeRunClaim, GivenSamplesFilesOfNoClaimedBenchmarkAreRefused) {
  AttestClaimRequest request = All();
  request.all = false;
  const std::string folder = Folder() + "/";
  request.logs = {folder + "results_" + spec_.stamp + ".json", folder + "samples_d_" + spec_.stamp + ".jsonl",
                  folder + "samples_e_" + spec_.stamp + ".jsonl"};
  request.tasks = {"d", "e"};
  EXPECT_TRUE(AttestClaims(*context_, request).ok());
  request.tasks = {"d", "G"};  // e's file is no claimed benchmark's; G's tasks have no samples given
  request.again = true;
  Result<AttestedClaims> attested = AttestClaims(*context_, request);
  ASSERT_FALSE(attested.ok());
  EXPECT_THAT(attested.status().message(), HasSubstr("no samples file for task 'a' of group 'G'"));
  request.tasks = {"d", "b"};
  attested = AttestClaims(*context_, request);
  ASSERT_FALSE(attested.ok());
  EXPECT_THAT(attested.status().message(), HasSubstr("samples_e_" + spec_.stamp + ".jsonl: the samples of none of"));
}

}  // namespace
}  // namespace assay
