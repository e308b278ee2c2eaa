// The audit operations (src/ops/audit_ops.h: diff, compare-transcripts,
// lineage, forensics, verify lfs) on scratch models and a scratch ledger,
// with real signatures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "claim/synthetic_eval.h"
#include "evallog/jsonl_transcript.h"
#include "model/synthetic_model.h"
#include "ops/attest_model.h"
#include "ops/audit_ops.h"
#include "ops_fixture.h"

namespace assay {
namespace {

using ::testing::HasSubstr;

constexpr char kChangedTensor[] = "model.layers.0.self_attn.q_proj.weight";

class AuditOps : public testing::OpsFixture {
 protected:
  AuditOps() {
    AddParty("acme", {TrustRole::kVendor});
    SignAs("acme");
    CreateLedger();
    base_ = Folder("base", SyntheticModelSpec{});
    SyntheticModelSpec changed;
    changed.changed_tensors = {kChangedTensor};
    changed_ = Folder("changed", changed);
    base_record_ = Publish(base_, "v1", /*sign=*/true);
  }

  std::string Folder(const std::string& name, const SyntheticModelSpec& spec) {
    const std::string folder = (dir_.path() / name).string();
    EXPECT_TRUE(WriteSyntheticModel(folder, spec).ok());
    return folder;
  }

  // The record of `folder` as acme/tiny@REVISION, written beside it (and
  // appended to the ledger when signed).
  std::string Publish(const std::string& folder, const std::string& revision, bool sign) {
    AttestModelRequest request;
    request.folder = folder;
    request.name = "acme/tiny";
    request.revision = revision;
    request.sign = sign;
    request.append = sign;
    request.output_path = folder + ".record.json";
    Result<AttestedModel> attested = AttestModel(*context_, request);
    EXPECT_TRUE(attested.ok()) << attested.status().message();
    manifests_[folder] = attested->manifest;
    return request.output_path;
  }

  // What GIT_LFS_SKIP_SMUDGE=1 git clone leaves: a pointer per weight file, other files as they are.
  std::string PointerCheckout(const std::string& folder, const std::string& name) {
    namespace fs = std::filesystem;
    const fs::path checkout = dir_.path() / name;
    fs::create_directories(checkout / ".git");
    for (const FileRecord& file : manifests_.at(folder).files) {
      if (file.path.ends_with(".safetensors")) {
        const std::string pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + ToHex(file.sha256) +
                                    "\nsize " + std::to_string(file.size) + "\n";
        EXPECT_TRUE(LocalFileSystem().WriteFileAtomically((checkout / file.path).string(), pointer).ok());
      } else {
        fs::create_directories((checkout / file.path).parent_path());
        fs::copy_file(fs::path(folder) / file.path, checkout / file.path);
      }
    }
    return checkout.string();
  }

  std::string Transcript(const std::string& name, double accuracy, uint64_t seed) {
    SyntheticEvalSpec spec;
    spec.samples = 50;
    spec.accuracy = accuracy;
    spec.seed = seed;
    spec.model_name = "acme/tiny";
    const std::string path = (dir_.path() / name).string();
    EXPECT_TRUE(LocalFileSystem().WriteFileAtomically(path, FormatJsonlTranscript(SyntheticEvalRun(spec))).ok());
    return path;
  }

  std::string base_, changed_, base_record_;
  std::map<std::string, ModelManifest> manifests_;
};

TEST_F(AuditOps, DiffComparesAnyTwoKindsOfReference) {
  Result<ModelComparison> folders = DiffModels(*context_, DiffRequest{base_, changed_, false});
  ASSERT_TRUE(folders.ok()) << folders.status().message();
  EXPECT_EQ(folders->a.kind, ModelReferenceKind::kFolder);
  EXPECT_EQ(folders->diff.weights, WeightsVerdict::kChanged);
  ASSERT_EQ(folders->diff.manifest.tensors.size(), 1u);
  EXPECT_EQ(folders->diff.manifest.tensors[0].name, kChangedTensor);

  Result<ModelComparison> same = DiffModels(*context_, DiffRequest{"acme/tiny@v1", base_, false});
  ASSERT_TRUE(same.ok()) << same.status().message();
  EXPECT_EQ(same->a.kind, ModelReferenceKind::kLedgerRecord);
  ASSERT_TRUE(same->a.record.has_value());
  EXPECT_TRUE(same->a.record->counts());
  EXPECT_TRUE(same->diff.identical());
  EXPECT_TRUE(output_.warnings.empty());

  Result<ModelComparison> missing = DiffModels(*context_, DiffRequest{"acme/nothing", base_, false});
  EXPECT_EQ(missing.status().kind(), ErrorKind::kNotFound);
  Result<ModelComparison> no_path = DiffModels(*context_, DiffRequest{base_ + "-gone", base_, false});
  EXPECT_EQ(no_path.status().kind(), ErrorKind::kIo);
}

TEST_F(AuditOps, DiffComparesARecordWhoseSignatureDoesNotCountAndSaysSo) {
  context_->paths.trust_file = (dir_.path() / "empty-trust").string();
  Result<ModelComparison> compared = DiffModels(*context_, DiffRequest{base_record_, changed_, false});
  ASSERT_TRUE(compared.ok()) << compared.status().message();
  ASSERT_TRUE(compared->a.record.has_value());
  EXPECT_FALSE(compared->a.record->counts());
  EXPECT_FALSE(compared->a.record->problem.empty());
  EXPECT_EQ(compared->diff.weights, WeightsVerdict::kChanged);
  ASSERT_EQ(output_.warnings.size(), 1u);
  EXPECT_THAT(output_.warnings[0], HasSubstr("signature not verified"));
}

TEST_F(AuditOps, ComparesTwoTranscripts) {
  const std::string a = Transcript("a.jsonl", 0.8, 1), b = Transcript("b.jsonl", 0.6, 2);
  CompareTranscriptsRequest request;
  request.a_path = a;
  request.b_path = b;
  Result<TranscriptsComparison> compared = CompareTranscriptFiles(*context_, request);
  ASSERT_TRUE(compared.ok()) << compared.status().message();
  EXPECT_EQ(compared->comparison.compared, 50u);
  EXPECT_EQ(compared->a_files, std::vector<std::string>{a});
  EXPECT_LT(compared->comparison.exact_matches, 50u);

  request.b_files = {b};
  EXPECT_THAT(CompareTranscriptFiles(*context_, request).status().message(), HasSubstr("not both"));
  request.a_path = request.b_path = "";
  EXPECT_THAT(CompareTranscriptFiles(*context_, request).status().message(), HasSubstr("both sides need files"));
  request.b_files.clear();
  EXPECT_THAT(CompareTranscriptFiles(*context_, request).status().message(), HasSubstr("expected two transcripts"));
}

TEST_F(AuditOps, LineageFindsTheRecordAModelComesFrom) {
  LineageRequest request;
  request.model = changed_;
  request.against = {base_record_, "acme/tiny@v1"};
  Result<LineageReport> report = TraceLineage(*context_, request);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->model.label, changed_);
  EXPECT_EQ(report->model.signature, "");
  ASSERT_EQ(report->known.size(), 2u);
  EXPECT_EQ(report->known[0].source, base_record_);
  EXPECT_EQ(report->known[1].source, "ledger");
  EXPECT_EQ(report->known[0].label, "acme/tiny@v1");
  EXPECT_THAT(report->known[0].signature, HasSubstr("signed by acme (vendor)"));
  ASSERT_EQ(report->matches.size(), 2u);
  const LineageMatch& best = report->matches.front();
  EXPECT_EQ(best.differing, std::vector<std::string>{kChangedTensor});
  EXPECT_THAT(LineageFinding(best), HasSubstr("shares"));

  request.against = {base_};
  Result<LineageReport> folder = TraceLineage(*context_, request);
  EXPECT_EQ(folder.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(folder.status().message(), HasSubstr("--against takes model records"));
  request.against = {"acme/nobody"};
  Result<LineageReport> unknown = TraceLineage(*context_, request);
  EXPECT_EQ(unknown.status().kind(), ErrorKind::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("acme/nobody: no such folder or record file"));

  const std::string bare = Publish(changed_, "v2", /*sign=*/false);
  request.model = bare;
  request.against = {base_record_};
  Result<LineageReport> unsigned_model = TraceLineage(*context_, request);
  ASSERT_TRUE(unsigned_model.ok()) << unsigned_model.status().message();
  EXPECT_EQ(unsigned_model->model.signature, "unsigned statement");
  EXPECT_EQ(unsigned_model->model.label, "acme/tiny@v2");
}

TEST_F(AuditOps, ForensicsSaysWhichTensorsChangedAndHow) {
  ForensicsRequest request;
  request.folder_a = base_;
  request.folder_b = changed_;
  Result<WeightsForensics> forensics = CompareModelWeights(*context_, request);
  ASSERT_TRUE(forensics.ok()) << forensics.status().message();
  size_t changed = 0;
  for (const TensorForensics& tensor : forensics->report.tensors) {
    if (tensor.verdict != TensorVerdict::kIdentical) {
      ++changed;
      EXPECT_EQ(tensor.name, kChangedTensor);
    }
  }
  EXPECT_EQ(changed, 1u);
  EXPECT_FALSE(forensics->summary.sentence.empty());

  request.options.tolerance = 0;
  EXPECT_EQ(CompareModelWeights(*context_, request).status().kind(), ErrorKind::kInvalidInput);
  request.options = ForensicsOptions();
  request.folder_b = base_ + "-gone";
  EXPECT_EQ(CompareModelWeights(*context_, request).status().kind(), ErrorKind::kIo);
}

TEST_F(AuditOps, VerifyLfsHoldsPointersAgainstTheRecord) {
  const std::string checkout = PointerCheckout(base_, "clone");
  VerifyLfsRequest request;
  request.folder = checkout;
  request.record = base_record_;
  Result<LfsVerification> same = VerifyLfsCheckout(*context_, request);
  ASSERT_TRUE(same.ok()) << same.status().message();
  EXPECT_GT(same->pointers, 0u);
  EXPECT_FALSE(same->model_changed());
  EXPECT_TRUE(VerdictOf(*same).ok());
  EXPECT_EQ(same->record.record->signers.front().entry->name, "acme");

  Publish(changed_, "v2", /*sign=*/true);
  request.folder = PointerCheckout(changed_, "clone-changed");
  Result<LfsVerification> differs = VerifyLfsCheckout(*context_, request);
  ASSERT_TRUE(differs.ok()) << differs.status().message();
  EXPECT_TRUE(differs->model_changed());
  EXPECT_EQ(VerdictOf(*differs).kind(), ErrorKind::kCheckFailed);

  request.folder = checkout;
  request.record = base_;
  EXPECT_THAT(VerifyLfsCheckout(*context_, request).status().message(), HasSubstr("a folder, not a model record"));
  const std::string bare = Publish(base_, "v3", /*sign=*/false);
  request.record = bare;
  EXPECT_EQ(VerifyLfsCheckout(*context_, request).status().kind(), ErrorKind::kCheckFailed);
  request.allow_unsigned = true;
  Result<LfsVerification> allowed = VerifyLfsCheckout(*context_, request);
  ASSERT_TRUE(allowed.ok()) << allowed.status().message();
  EXPECT_EQ(allowed->record.record->standing, RecordStanding::kUnsigned);
}

}  // namespace
}  // namespace assay
