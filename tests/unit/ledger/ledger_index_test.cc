#include "ledger/ledger_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "digest/sha256.h"
#include "record/model_statement.h"
#include "model/weights_root.h"
#include "sign/dsse.h"
#include "sqlite/raw_database.h"
#include "test_support.h"
#include "record/record_id.h"

namespace assay {
namespace {

using ::testing::HasSubstr;
using testing::RawDatabase;
using nlohmann::json;

constexpr char kVendor[] = "SHA256:vendor";
constexpr char kEvaluator[] = "SHA256:evaluator";

std::string Hex(std::string_view seed) { return ToHex(Sha256::Of(seed)); }
// A git commit id (SHA-1 length) standing for the commit of `seed`.
std::string CommitId(std::string_view seed) { return Hex(seed).substr(0, 40); }

// The index never verifies signatures, so records carry a keyid and 64 bytes
// that are not a real signature: no signing cost in the big tests.
std::string Envelope(std::string_view payload, std::string_view keyid) {
  return SerializeDsseEnvelope(DsseEnvelope{
      std::string(kInTotoPayloadType), std::string(payload), {{std::string(keyid), std::string(64, 's')}}});
}

IndexedRecord Record(uint64_t position, std::string_view payload, std::string_view keyid = kVendor) {
  return {position, RecordId(payload), CommitId("commit " + std::to_string(position)),
          Envelope(payload, keyid)};
}

struct Model {
  std::string payload;
  std::string id;
  std::string root;
};

// A one-file safetensors model whose tensor bytes are named by `weights`: two
// models with the same `weights` have the same weights root.
Model MakeModel(const std::string& name, std::optional<std::string> revision,
                const std::string& weights) {
  ModelManifest manifest;
  FileRecord file;
  file.path = "model.safetensors";
  file.size = 64;
  file.sha256 = Sha256::Of(weights);
  file.format = WeightFormat::kSafetensors;
  std::vector<WeightsLeaf> leaves;
  for (const char* tensor : {"lm_head.weight", "embed.weight"}) {
    Sha256Digest digest = Sha256::Of(weights + tensor);
    file.tensors.push_back({tensor, "safetensors:BF16", {4, 4}, 8, 32, digest});
    leaves.push_back({tensor, "safetensors:BF16", {4, 4}, digest});
  }
  Sha256Digest root = *ComputeWeightsRoot(leaves);
  manifest.files = {file};
  manifest.weights_roots = {{WeightFormat::kSafetensors, root, 2}};
  std::string payload = *StatementBytes(ModelStatement(manifest, {name, std::move(revision)}));
  return {payload, RecordId(payload), ToHex(root)};
}

json Statement(std::string_view predicate_type, std::string_view subject_digest, json predicate) {
  return {{"_type", kInTotoStatementType},
          {"subject", {{{"name", "subject"}, {"digest", {{"sha256", subject_digest}}}}}},
          {"predicateType", predicate_type},
          {"predicate", std::move(predicate)}};
}

// A claim: `model_id` and `root` may be empty (not bound to that side).
std::string ClaimPayload(const std::string& model_id, const std::string& root,
                         const std::string& benchmark, double value) {
  json predicate = {{"benchmark", {{"name", benchmark}, {"version", "1"}}},
                    {"harness", {{"name", "lm-eval"}, {"version", "0.4"}}},
                    {"metrics", {{{"name", "acc"}, {"value", value}, {"stderr", 0.5}}}}};
  if (!model_id.empty()) predicate["modelRecord"] = model_id;
  if (!root.empty()) predicate["weightsRoot"] = root;
  return Statement(kClaimPredicateType, model_id.empty() ? Hex(root) : model_id, predicate).dump();
}

std::string EndpointClaimPayload(const std::string& benchmark) {
  json predicate = {{"endpoint", {{"provider", "api"}, {"model", "hosted"}}},
                    {"benchmark", {{"name", benchmark}}}};
  return Statement(kClaimPredicateType, Hex("endpoint"), predicate).dump();
}

std::string ReproductionPayload(const std::string& claim_id, const std::string& verdict) {
  json predicate = {{"claim", claim_id}, {"verdicts", {{{"metric", "acc"}, {"verdict", verdict}}}}};
  return Statement(kReproductionPredicateType, claim_id, predicate).dump();
}

std::string OtherPayload(const std::string& name) {
  return Statement("https://example.com/other/v1", Hex(name), {{"name", name}}).dump();
}

std::unique_ptr<LedgerIndex> OpenOrDie(const std::string& path) {
  Result<std::unique_ptr<LedgerIndex>> index = LedgerIndex::Open(path);
  if (!index.ok()) {
    ADD_FAILURE() << index.status().message();
    std::abort();
  }
  return std::move(*index);
}

template <typename Entry>
std::vector<std::string> IdsOf(const std::vector<Entry>& entries) {
  std::vector<std::string> ids;
  for (const Entry& entry : entries) ids.push_back(entry.record.id);
  return ids;
}
std::vector<std::string> IdsOf(const std::vector<RecordEntry>& entries) {
  std::vector<std::string> ids;
  for (const RecordEntry& entry : entries) ids.push_back(entry.id);
  return ids;
}

class LedgerIndexTest : public ::testing::Test {
 protected:
  std::string IndexPath() const { return (dir_.path() / "index" / "ledger.sqlite").string(); }
  testing::ScratchDir dir_;
};

TEST_F(LedgerIndexTest, SchemaFileIsTheSchemaTheCodeRuns) {
  const LedgerIndexSchema& schema = CurrentLedgerIndexSchema();
  EXPECT_EQ(schema.version, LedgerIndex::kSchemaVersion);
  EXPECT_EQ(schema.upgrades.size(), static_cast<size_t>(schema.version - 1));
  EXPECT_EQ(schema.create_sql, testing::ReadFileOrDie(ASSAY_SOURCE_DIR "/schema/ledger-index.sql"));
}

TEST_F(LedgerIndexTest, CreatesAnEmptyIndexWithItsFolder) {
  auto index = OpenOrDie(IndexPath());
  EXPECT_EQ(*index->Count(), 0u);
  EXPECT_EQ(*index->Head(), std::nullopt);
  EXPECT_TRUE(index->Log(10)->empty());
  index.reset();
  RawDatabase raw(IndexPath());
  EXPECT_EQ(raw.Text("PRAGMA user_version"), "2");
  EXPECT_EQ(raw.Text("PRAGMA application_id"), std::to_string(0x41534c49));
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "wal");
}

TEST_F(LedgerIndexTest, MigratesVersionZeroFiles) {
  // An empty file, and an SQLite file with a header but no tables: both version 0.
  std::string empty = dir_.Write("empty.sqlite", "");
  std::string headed = (dir_.path() / "headed.sqlite").string();
  RawDatabase(headed).Exec("VACUUM");
  for (const std::string& path : {empty, headed}) {
    auto index = OpenOrDie(path);
    ASSERT_TRUE(index->Append({Record(0, OtherPayload("a"))}, CommitId("h")).ok());
    EXPECT_EQ(*index->Count(), 1u);
  }
}

TEST_F(LedgerIndexTest, MigratesAnOlderSchemaKeepingItsRecords) {
  {
    auto index = OpenOrDie(IndexPath());
    ASSERT_TRUE(index->Append({Record(0, OtherPayload("a")), Record(1, OtherPayload("b"))}, CommitId("h"))
                    .ok());
  }
  // A made-up next version that adds a table: this version's index is "older".
  const LedgerIndexSchema& current = CurrentLedgerIndexSchema();
  const std::string note_table = "CREATE TABLE notes (position INTEGER PRIMARY KEY, text TEXT) STRICT;";
  std::string create_next = std::string(current.create_sql) + note_table;
  LedgerIndexSchema next{current.version + 1, create_next, current.upgrades};
  next.upgrades.push_back(note_table);
  const std::string next_version = std::to_string(next.version);
  {
    Status migrated = MigrateLedgerIndex(IndexPath(), next);
    ASSERT_TRUE(migrated.ok()) << migrated.message();
    RawDatabase raw(IndexPath());
    EXPECT_EQ(raw.Text("PRAGMA user_version"), next_version);
    EXPECT_EQ(raw.Text("SELECT count(*) FROM records"), "2");
    EXPECT_EQ(raw.Text("SELECT count(*) FROM notes"), "0");
    // Migrating again is a no-op.
    EXPECT_TRUE(MigrateLedgerIndex(IndexPath(), next).ok());
  }
  // A new file goes straight to the next version.
  {
    const std::string fresh_path = (dir_.path() / "fresh.sqlite").string();
    ASSERT_TRUE(MigrateLedgerIndex(fresh_path, next).ok());
    RawDatabase fresh(fresh_path);
    EXPECT_EQ(fresh.Text("PRAGMA user_version"), next_version);
    EXPECT_EQ(fresh.Text("SELECT count(*) FROM sqlite_master WHERE name = 'notes'"), "1");
  }
  // This assay reads its own version: it leaves the newer index alone.
  Result<std::unique_ptr<LedgerIndex>> newer = LedgerIndex::Open(IndexPath());
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(newer.status().message(),
            IndexPath() + ": index schema " + next_version + " is newer than this assay reads (" +
                std::to_string(current.version) + "); use a newer assay, or delete the file and run assay reindex");
  EXPECT_EQ(RawDatabase(IndexPath()).Text("SELECT count(*) FROM records"), "2");
}

// Version 1 had no records.problem: its indexes gain the column, keep their
// records, and digest as an index built at version 2 does.
TEST_F(LedgerIndexTest, UpgradesAVersionOneIndex) {
  const std::vector<IndexedRecord> records = {Record(0, OtherPayload("a")), Record(1, OtherPayload("b"))};
  std::string digest;
  {
    auto index = OpenOrDie(IndexPath());
    ASSERT_TRUE(index->Append(records, CommitId("h")).ok());
    digest = *index->Digest();
  }
  {
    RawDatabase raw(IndexPath());
    raw.Exec("ALTER TABLE records DROP COLUMN problem; PRAGMA user_version = 1");
  }
  auto index = OpenOrDie(IndexPath());
  EXPECT_EQ(*index->Count(), 2u);
  EXPECT_EQ(*index->Digest(), digest);
  EXPECT_EQ(RawDatabase(IndexPath()).Text("PRAGMA user_version"), "2");
}

TEST_F(LedgerIndexTest, RefusesFilesThatAreNotLedgerIndexes) {
  std::string garbage = dir_.Write("garbage.sqlite", std::string(4096, 'x'));
  Result<std::unique_ptr<LedgerIndex>> opened = LedgerIndex::Open(garbage);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().kind(), ErrorKind::kIo);
  EXPECT_THAT(opened.status().message(), HasSubstr(garbage + ": "));

  std::string foreign = (dir_.path() / "foreign.sqlite").string();
  RawDatabase(foreign).Exec("CREATE TABLE accounts (name TEXT)");
  opened = LedgerIndex::Open(foreign);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(opened.status().message(), foreign + ": not an assay ledger index (another program's database)");
  RawDatabase untouched(foreign);
  EXPECT_EQ(untouched.Text("PRAGMA journal_mode"), "delete");
  EXPECT_EQ(untouched.Text("SELECT count(*) FROM sqlite_master"), "1");
}

// One small ledger of every kind: two revisions of a model, a re-upload under
// another name with the same weights, claims bound three ways, a reproduction.
class LedgerIndexQueryTest : public LedgerIndexTest {
 protected:
  void SetUp() override {
    index_ = OpenOrDie(IndexPath());
    std::vector<IndexedRecord> records = {
        Record(0, v1_.payload),
        Record(1, v2_.payload),
        Record(2, reupload_.payload),
        Record(3, claim_on_v1_),
        Record(4, claim_on_v2_root_),
        Record(5, endpoint_claim_),
        Record(6, reproduction_, kEvaluator),
    };
    Status appended = index_->Append(records, CommitId("head"));
    ASSERT_TRUE(appended.ok()) << appended.message();
  }

  Model v1_ = MakeModel("acme/tiny", "v1", "weights a");
  Model v2_ = MakeModel("acme/tiny", "v2", "weights b");
  Model reupload_ = MakeModel("other/tiny-reupload", std::nullopt, "weights a");
  std::string claim_on_v1_ = ClaimPayload(v1_.id, v1_.root, "mmlu", 89.9);
  std::string claim_on_v2_root_ = ClaimPayload("", v2_.root, "gpqa", 40);
  std::string endpoint_claim_ = EndpointClaimPayload("mmlu");
  std::string reproduction_ = ReproductionPayload(RecordId(claim_on_v1_), "not-reproduced");
  std::unique_ptr<LedgerIndex> index_;
};

TEST_F(LedgerIndexQueryTest, LogIsNewestFirst) {
  EXPECT_EQ(*index_->Count(), 7u);
  EXPECT_EQ(*index_->Head(), CommitId("head"));
  Result<std::vector<RecordEntry>> log = index_->Log(3);
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].position, 6u);
  EXPECT_EQ((*log)[0].id, RecordId(reproduction_));
  EXPECT_EQ((*log)[0].kind, RecordKind::kReproduction);
  EXPECT_EQ((*log)[0].predicate_type, kReproductionPredicateType);
  EXPECT_EQ((*log)[0].commit, CommitId("commit 6"));
  EXPECT_EQ((*log)[2].position, 4u);
  EXPECT_EQ(IdsOf(*index_->Log(10, 5)), (std::vector<std::string>{v2_.id, v1_.id}));
  EXPECT_TRUE(index_->Log(10, 7)->empty());
}

TEST_F(LedgerIndexQueryTest, FindsByIdOrPrefix) {
  EXPECT_EQ((*index_->Find(v2_.id))->position, 1u);
  EXPECT_EQ((*index_->Find(v2_.id.substr(0, 8)))->id, v2_.id);
  std::string upper = v2_.id.substr(0, 12);
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_EQ((*index_->Find(upper))->id, v2_.id);
  EXPECT_EQ(*index_->Find(Hex("absent")), std::nullopt);

  for (const std::string& bad : std::vector<std::string>{"abc1234", "not-hex-at-all", std::string(65, 'a')}) {
    Result<std::optional<RecordEntry>> found = index_->Find(bad);
    ASSERT_FALSE(found.ok()) << bad;
    EXPECT_EQ(found.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(found.status().message(),
              "'" + bad + "' is not a record id or a prefix of 8 or more hex digits");
  }
  Result<std::optional<std::string>> envelope = index_->Envelope(RecordId(endpoint_claim_));
  ASSERT_TRUE(envelope.ok() && envelope->has_value());
  EXPECT_EQ(**envelope, Envelope(endpoint_claim_, kVendor));
  EXPECT_EQ(*index_->Envelope(Hex("absent")), std::nullopt);
}

TEST_F(LedgerIndexQueryTest, FindsModels) {
  Result<std::vector<ModelEntry>> tiny = index_->ModelsByName("acme/tiny", std::nullopt);
  ASSERT_TRUE(tiny.ok()) << tiny.status().message();
  EXPECT_EQ(IdsOf(*tiny), (std::vector<std::string>{v2_.id, v1_.id}));
  const ModelEntry& v1 = (*tiny)[1];
  EXPECT_EQ(v1.record.kind, RecordKind::kModel);
  EXPECT_EQ(v1.model.name, "acme/tiny");
  EXPECT_EQ(v1.model.revision, "v1");
  EXPECT_EQ(v1.model.hub_repo_id, std::nullopt);
  ASSERT_EQ(v1.model.weights_roots.size(), 1u);
  EXPECT_EQ(v1.model.weights_roots[0].root, v1_.root);
  EXPECT_EQ(v1.model.weights_roots[0].format, "safetensors");
  EXPECT_EQ(v1.model.tensor_count, 2u);
  EXPECT_EQ(v1.model.total_bytes, 64u);

  EXPECT_EQ(IdsOf(*index_->ModelsByName("acme/tiny", "v1")), std::vector<std::string>{v1_.id});
  EXPECT_TRUE(index_->ModelsByName("acme/tiny", "v3")->empty());
  EXPECT_EQ(IdsOf(*index_->ModelsByWeightsRoot(v1_.root)),
            (std::vector<std::string>{reupload_.id, v1_.id}));
}

TEST_F(LedgerIndexQueryTest, FindsClaimsAndReproductions) {
  Result<std::vector<ClaimEntry>> mmlu = index_->ClaimsByBenchmark("mmlu");
  ASSERT_TRUE(mmlu.ok()) << mmlu.status().message();
  EXPECT_EQ(IdsOf(*mmlu), (std::vector<std::string>{RecordId(endpoint_claim_), RecordId(claim_on_v1_)}));
  EXPECT_TRUE((*mmlu)[0].claim.endpoint);
  EXPECT_EQ((*mmlu)[0].claim.endpoint_model, "hosted");
  const ClaimSummary& claim = (*mmlu)[1].claim;
  EXPECT_EQ(claim.model_record, v1_.id);
  EXPECT_EQ(claim.weights_root, v1_.root);
  EXPECT_EQ(claim.benchmark_version, "1");
  EXPECT_EQ(claim.harness_name, "lm-eval");
  ASSERT_EQ(claim.metrics.size(), 1u);
  EXPECT_EQ(claim.metrics[0].name, "acc");
  EXPECT_EQ(claim.metrics[0].value, 89.9);
  EXPECT_EQ(claim.metrics[0].standard_error, 0.5);

  Result<std::vector<ReproductionEntry>> reproductions =
      index_->ReproductionsOfClaim(RecordId(claim_on_v1_));
  ASSERT_TRUE(reproductions.ok()) << reproductions.status().message();
  ASSERT_EQ(reproductions->size(), 1u);
  EXPECT_EQ((*reproductions)[0].reproduction.claim, RecordId(claim_on_v1_));
  ASSERT_EQ((*reproductions)[0].reproduction.verdicts.size(), 1u);
  EXPECT_EQ((*reproductions)[0].reproduction.verdicts[0].verdict, "not-reproduced");
  EXPECT_TRUE(index_->ReproductionsOfClaim(RecordId(claim_on_v2_root_))->empty());
}

TEST_F(LedgerIndexQueryTest, ClaimsForAModelFollowItsWeightsRoots) {
  std::vector<std::string> on_v1 = {RecordId(claim_on_v1_)};
  std::vector<std::string> on_v2 = {RecordId(claim_on_v2_root_)};
  EXPECT_EQ(IdsOf(*index_->ClaimsForModel(v1_.id)), on_v1);        // names the record
  EXPECT_EQ(IdsOf(*index_->ClaimsForModel(reupload_.id)), on_v1);  // same weights root
  EXPECT_EQ(IdsOf(*index_->ClaimsForModel(v1_.root)), on_v1);
  EXPECT_EQ(IdsOf(*index_->ClaimsForModel(v2_.id)), on_v2);        // through its root
  EXPECT_EQ(IdsOf(*index_->ClaimsForModel(v2_.root)), on_v2);
  EXPECT_TRUE(index_->ClaimsForModel(Hex("unknown"))->empty());
}

TEST_F(LedgerIndexQueryTest, FindsRecordsBySigner) {
  EXPECT_EQ(IdsOf(*index_->RecordsBySignerKeyId(kEvaluator)),
            std::vector<std::string>{RecordId(reproduction_)});
  EXPECT_EQ(index_->RecordsBySignerKeyId(kVendor)->size(), 6u);
  EXPECT_TRUE(index_->RecordsBySignerKeyId("SHA256:nobody")->empty());
}

TEST_F(LedgerIndexQueryTest, ResolvesModelsInTheDesignOrder) {
  using Match = ModelResolution::Match;
  Result<ModelResolution> by_id = index_->ResolveModel(v1_.id.substr(0, 10));
  ASSERT_TRUE(by_id.ok()) << by_id.status().message();
  EXPECT_EQ(by_id->match, Match::kRecordId);
  EXPECT_EQ(IdsOf(by_id->models), std::vector<std::string>{v1_.id});

  Result<ModelResolution> by_root = index_->ResolveModel(v1_.root);
  ASSERT_TRUE(by_root.ok()) << by_root.status().message();
  EXPECT_EQ(by_root->match, Match::kWeightsRoot);
  EXPECT_EQ(IdsOf(by_root->models), (std::vector<std::string>{reupload_.id, v1_.id}));

  EXPECT_EQ(index_->ResolveModel("acme/tiny@v2")->match, Match::kName);
  EXPECT_EQ(IdsOf(index_->ResolveModel("acme/tiny@v2")->models), std::vector<std::string>{v2_.id});
  EXPECT_EQ(IdsOf(index_->ResolveModel("acme/tiny")->models), (std::vector<std::string>{v2_.id, v1_.id}));
  EXPECT_EQ(index_->ResolveModel("acme/tiny@v9")->match, Match::kNone);
  EXPECT_EQ(index_->ResolveModel("deadbeefdeadbeef")->match, Match::kNone);

  Result<ModelResolution> claim = index_->ResolveModel(RecordId(claim_on_v1_));
  ASSERT_FALSE(claim.ok());
  EXPECT_EQ(claim.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(claim.status().message(),
            "record " + RecordId(claim_on_v1_) + " is a claim record, not a model record");
}

TEST_F(LedgerIndexQueryTest, ASharedPrefixIsAmbiguous) {
  // A birthday search for two statements whose ids share 8 hex digits
  // (about 2^16 tries); the loop is deterministic.
  std::unordered_map<std::string, std::string> by_prefix;
  std::string first, second;
  for (uint64_t i = 0; second.empty(); ++i) {
    std::string payload = OtherPayload("n" + std::to_string(i));
    auto [found, added] = by_prefix.emplace(RecordId(payload).substr(0, 8), payload);
    if (!added) std::tie(first, second) = std::pair(found->second, payload);
  }
  ASSERT_TRUE(index_->Append({Record(7, first), Record(8, second)}, CommitId("h2")).ok());
  std::string prefix = RecordId(first).substr(0, 8);
  Result<std::optional<RecordEntry>> found = index_->Find(prefix);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().kind(), ErrorKind::kInvalidInput);
  std::vector<std::string> ids = {RecordId(first), RecordId(second)};
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(found.status().message(), "record id prefix " + prefix + " is ambiguous: " + ids[0] +
                                          " (other), " + ids[1] + " (other)");
  EXPECT_EQ(index_->ResolveModel(prefix).status().message(), found.status().message());
  EXPECT_EQ((*index_->Find(RecordId(second)))->position, 8u);
}

TEST_F(LedgerIndexTest, AppendIsIdempotentAndPositionsAreDense) {
  auto index = OpenOrDie(IndexPath());
  std::vector<std::string> payloads = {OtherPayload("a"), OtherPayload("b"), OtherPayload("c"),
                                       OtherPayload("d")};
  ASSERT_TRUE(index->Append({Record(0, payloads[0]), Record(1, payloads[1])}, CommitId("h1")).ok());
  // A catch-up that repeats what is there adds only what is new.
  Status repeated = index->Append(
      {Record(0, payloads[0]), Record(1, payloads[1]), Record(2, payloads[2])}, CommitId("h2"));
  ASSERT_TRUE(repeated.ok()) << repeated.message();
  EXPECT_EQ(*index->Count(), 3u);
  EXPECT_EQ(*index->Head(), CommitId("h2"));
  // A process that lags behind repeats records: the index keeps its own head.
  ASSERT_TRUE(index->Append({Record(0, payloads[0]), Record(1, payloads[1])}, CommitId("h1")).ok());
  EXPECT_EQ(*index->Head(), CommitId("h2"));
  const std::string digest = *index->Digest();

  auto refused = [&](const std::vector<IndexedRecord>& records) {
    Status status = index->Append(records, CommitId("h3"));
    EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
    // Nothing of the batch was written, not even its good records.
    EXPECT_EQ(*index->Count(), 3u);
    EXPECT_EQ(*index->Head(), CommitId("h2"));
    EXPECT_EQ(*index->Digest(), digest);
    return status.message();
  };
  EXPECT_EQ(refused({Record(5, payloads[3])}),
            "record at position 5: leaves a gap, the next position is 3");
  EXPECT_EQ(refused({Record(1, payloads[3])}),
            "record at position 1: the position holds record " + RecordId(payloads[1]));
  EXPECT_EQ(refused({Record(3, payloads[0])}),
            "record at position 3: record " + RecordId(payloads[0]) + " is already at position 0");
  EXPECT_EQ(refused({Record(3, payloads[3]), Record(4, payloads[3])}),
            "record at position 4: record " + RecordId(payloads[3]) + " is already at position 3");
}

TEST_F(LedgerIndexTest, HostileBatchesWriteNothing) {
  auto index = OpenOrDie(IndexPath());
  ASSERT_TRUE(index->Append({Record(0, OtherPayload("a"))}, CommitId("h1")).ok());
  const std::string digest = *index->Digest();
  IndexedRecord good = Record(1, OtherPayload("b"));

  auto refused = [&](IndexedRecord bad, const std::string& head = CommitId("h2")) {
    Status status = index->Append({good, std::move(bad)}, head);
    EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(*index->Count(), 1u);
    EXPECT_EQ(*index->Digest(), digest);
    return status.message();
  };
  IndexedRecord bad = Record(2, OtherPayload("c"));
  bad.commit = "HEAD";
  EXPECT_EQ(refused(bad), "record at position 2: commit 'HEAD' is not a git object id");

  EXPECT_EQ(refused(Record(2, OtherPayload("c")), "refs/heads/ledger"),
            "head 'refs/heads/ledger' is not a git object id");
}

// One bad blob in a ledger must not hide the rest: a record that is not well
// formed is indexed with its problem and nothing else about it.
TEST_F(LedgerIndexTest, MarksRecordsThatAreNotWellFormed) {
  auto index = OpenOrDie(IndexPath());
  ASSERT_TRUE(index->Append({Record(0, OtherPayload("a"))}, CommitId("h1")).ok());
  struct Case {
    IndexedRecord record;
    std::string problem;
  };
  std::vector<Case> cases;
  IndexedRecord bad = Record(1, OtherPayload("c"));
  bad.envelope = "{\"payload\":";
  cases.push_back({bad, "envelope: invalid JSON"});
  cases.push_back({Record(2, "not a statement"), "payload: invalid JSON"});
  bad = Record(3, OtherPayload("d"));
  bad.envelope = std::string(kMaxRecordEnvelopeBytes + 1, '{');
  cases.push_back({bad, "envelope of 67108865 bytes exceeds"});
  bad = Record(4, OtherPayload("e"));
  bad.id = Hex("something else");
  cases.push_back({bad, "its id " + Hex("something else") + " is not the SHA-256 of its payload (" +
                            RecordId(OtherPayload("e")) + ")"});
  std::vector<IndexedRecord> batch;
  for (const Case& c : cases) batch.push_back(c.record);
  batch.push_back(Record(5, OtherPayload("f")));
  Status appended = index->Append(batch, CommitId("h2"));
  ASSERT_TRUE(appended.ok()) << appended.message();
  EXPECT_EQ(*index->Count(), 6u);
  for (const Case& c : cases) {
    Result<std::optional<RecordEntry>> entry = index->Find(c.record.id);
    ASSERT_TRUE(entry.ok() && entry->has_value()) << c.problem;
    EXPECT_EQ((*entry)->kind, RecordKind::kOther);
    ASSERT_TRUE((*entry)->problem.has_value()) << c.problem;
    EXPECT_THAT(*(*entry)->problem, HasSubstr(c.problem));
  }
  Result<std::optional<RecordEntry>> fine = index->Find(RecordId(OtherPayload("f")));
  ASSERT_TRUE(fine.ok() && fine->has_value());
  EXPECT_FALSE((*fine)->problem.has_value());
}

TEST_F(LedgerIndexTest, ARebuildHasTheSameDigest) {
  std::vector<IndexedRecord> records;
  Model model = MakeModel("acme/tiny", "v1", "w");
  records.push_back(Record(0, model.payload));
  records.push_back(Record(1, ClaimPayload(model.id, model.root, "mmlu", 70)));
  records.push_back(Record(2, OtherPayload("x")));
  std::string first_digest;
  {
    auto index = OpenOrDie(IndexPath());
    ASSERT_TRUE(index->Append(records, CommitId("head")).ok());
    first_digest = *index->Digest();
    // Reindex: clear, then append again in other batches.
    ASSERT_TRUE(index->Clear().ok());
    EXPECT_EQ(*index->Count(), 0u);
    EXPECT_EQ(*index->Head(), std::nullopt);
    EXPECT_NE(*index->Digest(), first_digest);
    ASSERT_TRUE(index->Append({records[0]}, CommitId("mid")).ok());
    ASSERT_TRUE(index->Append({records[1], records[2]}, CommitId("head")).ok());
    EXPECT_EQ(*index->Digest(), first_digest);
  }
  // It survives reopening, and another file built alike has the same digest.
  EXPECT_EQ(*OpenOrDie(IndexPath())->Digest(), first_digest);
  auto other = OpenOrDie((dir_.path() / "other.sqlite").string());
  ASSERT_TRUE(other->Append(records, CommitId("head")).ok());
  EXPECT_EQ(*other->Digest(), first_digest);
  // The head is part of the content.
  ASSERT_TRUE(other->Append({}, CommitId("moved")).ok());
  EXPECT_NE(*other->Digest(), first_digest);
}

TEST_F(LedgerIndexTest, TwoHandlesShareOneFile) {
  auto writer = OpenOrDie(IndexPath());
  auto reader = OpenOrDie(IndexPath());
  ASSERT_TRUE(writer->Append({Record(0, OtherPayload("a"))}, CommitId("h1")).ok());
  EXPECT_EQ(*reader->Count(), 1u);
  EXPECT_EQ(*reader->Head(), CommitId("h1"));
  // Both catching up with the same records: the second finds them there.
  ASSERT_TRUE(reader->Append({Record(0, OtherPayload("a")), Record(1, OtherPayload("b"))}, CommitId("h2")).ok());
  ASSERT_TRUE(writer->Append({Record(0, OtherPayload("a")), Record(1, OtherPayload("b"))}, CommitId("h2")).ok());
  EXPECT_EQ(*writer->Count(), 2u);
  EXPECT_EQ(*writer->Digest(), *reader->Digest());
}

// A synthetic ledger in a fixed pattern: every 10th record a model (100 names,
// a new revision every 1000 records, its own weights), every 10th+9 a
// reproduction of the claim before it, the rest claims on the latest model
// over `benchmarks` benchmarks; five vendor keys sign all but reproductions.
class SyntheticLedger {
 public:
  SyntheticLedger(uint64_t size, uint64_t benchmarks) : benchmarks_(benchmarks) {
    for (uint64_t p = 0; p < size; ++p) records_.push_back(Make(p));
  }

  const std::vector<IndexedRecord>& records() const { return records_; }
  static std::string Name(uint64_t p) { return "model-" + std::to_string(p / 10 % 100); }
  static std::string Revision(uint64_t p) { return "r" + std::to_string(p / 1000); }
  static std::string Signer(uint64_t p) { return "SHA256:vendor-" + std::to_string(p % 5); }
  std::string Benchmark(uint64_t p) const { return "bench-" + std::to_string(p % benchmarks_); }
  static bool IsModel(uint64_t p) { return p % 10 == 0; }
  static bool IsReproduction(uint64_t p) { return p % 10 == 9; }
  const Model& ModelAt(uint64_t p) const { return models_.at(p / 10); }

 private:
  IndexedRecord Make(uint64_t p) {
    if (IsModel(p)) {
      models_.push_back(MakeModel(Name(p), Revision(p), "weights " + std::to_string(p)));
      return Record(p, models_.back().payload, Signer(p));
    }
    if (IsReproduction(p)) {
      return Record(p, ReproductionPayload(records_.back().id, "reproduced"), kEvaluator);
    }
    const Model& model = models_.back();
    return Record(p, ClaimPayload(model.id, model.root, Benchmark(p), double(p % 100)), Signer(p));
  }

  uint64_t benchmarks_;
  std::vector<Model> models_;
  std::vector<IndexedRecord> records_;
};

Status AppendInBatches(LedgerIndex& index, const std::vector<IndexedRecord>& records, size_t batch) {
  for (size_t start = 0; start < records.size(); start += batch) {
    size_t end = std::min(records.size(), start + batch);
    std::vector<IndexedRecord> slice(records.begin() + long(start), records.begin() + long(end));
    ASSAY_RETURN_IF_ERROR(index.Append(slice, CommitId("head " + std::to_string(end))));
  }
  return Status::Ok();
}

TEST_F(LedgerIndexTest, TwentyThousandRecordsInBatches) {
  constexpr uint64_t kSize = 20000;
  SyntheticLedger ledger(kSize, 7);
  auto index = OpenOrDie(IndexPath());
  Status appended = AppendInBatches(*index, ledger.records(), 1000);
  ASSERT_TRUE(appended.ok()) << appended.message();
  EXPECT_EQ(*index->Count(), kSize);
  EXPECT_EQ(*index->Head(), CommitId("head 20000"));
  EXPECT_EQ((*index->Log(1))[0].id, ledger.records().back().id);

  // Expected answers, counted from the pattern.
  uint64_t bench3 = 0, by_vendor2 = 0, model7 = 0, model7_r4 = 0;
  for (uint64_t p = 0; p < kSize; ++p) {
    bool claim = !SyntheticLedger::IsModel(p) && !SyntheticLedger::IsReproduction(p);
    bench3 += claim && ledger.Benchmark(p) == "bench-3";
    by_vendor2 += !SyntheticLedger::IsReproduction(p) && SyntheticLedger::Signer(p) == "SHA256:vendor-2";
    bool is_model7 = SyntheticLedger::IsModel(p) && SyntheticLedger::Name(p) == "model-7";
    model7 += is_model7;
    model7_r4 += is_model7 && SyntheticLedger::Revision(p) == "r4";
  }
  EXPECT_EQ(index->ClaimsByBenchmark("bench-3")->size(), bench3);
  EXPECT_EQ(index->RecordsBySignerKeyId("SHA256:vendor-2")->size(), by_vendor2);
  EXPECT_EQ(index->RecordsBySignerKeyId(kEvaluator)->size(), kSize / 10);
  EXPECT_EQ(index->ModelsByName("model-7", std::nullopt)->size(), model7);
  EXPECT_EQ(index->ModelsByName("model-7", "r4")->size(), model7_r4);

  const uint64_t p = 12340;  // a model record
  const Model& model = ledger.ModelAt(p);
  EXPECT_EQ(IdsOf(*index->ModelsByWeightsRoot(model.root)), std::vector<std::string>{model.id});
  Result<std::vector<ClaimEntry>> claims = index->ClaimsForModel(model.id);
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  ASSERT_EQ(claims->size(), 8u);  // positions p+1 .. p+8
  EXPECT_EQ((*claims)[0].record.position, p + 8);
  EXPECT_EQ(index->ReproductionsOfClaim(ledger.records()[p + 8].id)->size(), 1u);
  EXPECT_EQ((*index->ResolveModel(model.id.substr(0, 8))).models[0].record.position, p);

  // Rebuilt in other batches into another file: the same index.
  auto rebuilt = OpenOrDie((dir_.path() / "rebuilt.sqlite").string());
  ASSERT_TRUE(AppendInBatches(*rebuilt, ledger.records(), 7919).ok());
  EXPECT_EQ(*rebuilt->Digest(), *index->Digest());
}

// Timings at DESIGN.md's scale, measured by hand (not a timed test):
//   ./test_ledger --gtest_also_run_disabled_tests --gtest_filter='*OneHundredThousand*'
TEST_F(LedgerIndexTest, DISABLED_TimingsAtOneHundredThousandRecords) {
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  };
  constexpr uint64_t kSize = 100000;
  // Wall and CPU time: on a shared machine the CPU time is the steadier figure.
  auto time = [&](const char* what, auto&& work) {
    auto begin = Clock::now();
    std::clock_t cpu_begin = std::clock();
    size_t rows = work();
    double cpu_ms = 1000.0 * double(std::clock() - cpu_begin) / CLOCKS_PER_SEC;
    std::printf("%-32s %9.3f ms wall %9.3f ms cpu  (%zu rows)\n", what, since(begin), cpu_ms, rows);
  };
  std::optional<SyntheticLedger> ledger;
  time("generate", [&] {
    ledger.emplace(kSize + 1, 50);
    return ledger->records().size();
  });
  std::vector<IndexedRecord> records = ledger->records();
  IndexedRecord last = records.back();
  records.pop_back();
  auto index = OpenOrDie(IndexPath());
  time("append in batches of 1000", [&] {
    EXPECT_TRUE(AppendInBatches(*index, records, 1000).ok());
    return records.size();
  });

  const Model& model = ledger->ModelAt(54320);
  time("Append one record", [&] { return index->Append({last}, CommitId("one more")).ok() ? 1 : 0; });
  time("Count", [&] { return size_t(*index->Count()); });
  time("Head", [&] { return index->Head()->has_value() ? 1 : 0; });
  time("Log(20)", [&] { return index->Log(20)->size(); });
  time("Log(20, 90000)", [&] { return index->Log(20, 90000)->size(); });
  time("Find(prefix 8)", [&] { return index->Find(model.id.substr(0, 8))->has_value() ? 1 : 0; });
  time("ModelsByName(name, rev)", [&] { return index->ModelsByName("model-7", "r54")->size(); });
  time("ModelsByName(name)", [&] { return index->ModelsByName("model-7", std::nullopt)->size(); });
  time("ModelsByWeightsRoot", [&] { return index->ModelsByWeightsRoot(model.root)->size(); });
  time("ClaimsByBenchmark", [&] { return index->ClaimsByBenchmark("bench-3")->size(); });
  time("RecordsBySignerKeyId(vendor)", [&] { return index->RecordsBySignerKeyId("SHA256:vendor-2")->size(); });
  time("ClaimsForModel(id)", [&] { return index->ClaimsForModel(model.id)->size(); });
  time("ClaimsForModel(root)", [&] { return index->ClaimsForModel(model.root)->size(); });
  time("ReproductionsOfClaim", [&] { return index->ReproductionsOfClaim(records[54328].id)->size(); });
  time("ResolveModel(prefix)", [&] { return index->ResolveModel(model.id.substr(0, 10))->models.size(); });
  time("ResolveModel(root)", [&] { return index->ResolveModel(model.root)->models.size(); });
  time("ResolveModel(name@rev)", [&] { return index->ResolveModel("model-7@r54")->models.size(); });
  time("Digest", [&] { return index->Digest()->size(); });
  // What one command pays: open, then its first queries with nothing prepared yet.
  index.reset();
  time("Open", [&] {
    index = OpenOrDie(IndexPath());
    return 1;
  });
  time("first ResolveModel(name@rev)", [&] { return index->ResolveModel("model-7@r54")->models.size(); });
  time("first ClaimsForModel(id)", [&] { return index->ClaimsForModel(model.id)->size(); });
}

}  // namespace
}  // namespace assay
