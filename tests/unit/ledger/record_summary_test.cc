#include "ledger/record_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "digest/sha256.h"
#include "record/model_statement.h"
#include "model/weights_root.h"
#include "sign/base64.h"
#include "sign/dsse.h"
#include "sign/openssh_key.h"
#include "record/record_id.h"

namespace assay {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using nlohmann::json;

std::string DigestHex(std::string_view seed) { return ToHex(Sha256::Of(seed)); }

Ed25519SecretKey TestKey() {
  std::array<uint8_t, kEd25519SeedSize> seed{};
  seed[0] = 7;
  return Ed25519SecretKey::FromSeed(seed);
}

std::string SignedEnvelope(std::string_view payload) {
  return SerializeDsseEnvelope(SignDsse(kInTotoPayloadType, payload, TestKey()));
}

std::string Envelope(const json& statement) { return SignedEnvelope(statement.dump()); }

// A two-tensor safetensors model with a config file, attested as `assay attest model` would.
json TinyModelStatement() {
  ModelManifest manifest;
  manifest.hub_source = HubSource{"acme/tiny", "0123abcd"};
  FileRecord config;
  config.path = "config.json";
  config.size = 20;
  config.sha256 = Sha256::Of("config");
  FileRecord weights;
  weights.path = "model.safetensors";
  weights.size = 1000;
  weights.sha256 = Sha256::Of("weights");
  weights.format = WeightFormat::kSafetensors;
  std::vector<WeightsLeaf> leaves;
  for (const char* name : {"a.weight", "b.weight"}) {
    weights.tensors.push_back({name, "safetensors:F32", {2, 2}, 100, 16, Sha256::Of(name)});
    leaves.push_back({name, "safetensors:F32", {2, 2}, Sha256::Of(name)});
  }
  manifest.files = {config, weights};
  manifest.weights_roots = {{WeightFormat::kSafetensors, *ComputeWeightsRoot(leaves), 2}};
  return ModelStatement(manifest, {"acme/tiny", "v1"});
}

json Statement(std::string_view predicate_type, json predicate) {
  return {{"_type", kInTotoStatementType},
          {"subject", {{{"name", "thing"}, {"digest", {{"sha256", DigestHex("thing")}}}}}},
          {"predicateType", predicate_type},
          {"predicate", std::move(predicate)}};
}

json ClaimPredicate() {
  return {{"modelRecord", DigestHex("model")},
          {"weightsRoot", DigestHex("root")},
          {"benchmark", {{"name", "mmlu"}, {"version", "1.0"}}},
          {"harness", {{"name", "lm-eval"}, {"version", "0.4.2"}}},
          {"metrics",
           {{{"name", "acc"}, {"value", 89.9}, {"stderr", 0.3}}, {{"name", "acc_norm"}, {"value", 88}}}}};
}

Status SummaryError(std::string_view envelope) { return SummarizeRecord(envelope).status(); }

TEST(RecordKind, NamesFollowThePredicateType) {
  EXPECT_EQ(RecordKindOf(kModelPredicateType), RecordKind::kModel);
  EXPECT_EQ(RecordKindOf(kClaimPredicateType), RecordKind::kClaim);
  EXPECT_EQ(RecordKindOf(kReproductionPredicateType), RecordKind::kReproduction);
  EXPECT_EQ(RecordKindOf("https://assay.dev/model/v2"), RecordKind::kOther);
  for (RecordKind kind :
       {RecordKind::kModel, RecordKind::kClaim, RecordKind::kReproduction, RecordKind::kOther}) {
    EXPECT_EQ(RecordKindFromName(RecordKindName(kind)), kind);
  }
  EXPECT_EQ(RecordKindName(RecordKind::kReproduction), "reproduction");
  EXPECT_EQ(RecordKindFromName("checkpoint"), std::nullopt);
}

TEST(RecordSummary, ModelRecord) {
  json statement = TinyModelStatement();
  std::string payload = *StatementBytes(statement);
  Result<RecordSummary> summary = SummarizeRecord(SignedEnvelope(payload));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->id, RecordId(payload));
  EXPECT_EQ(summary->kind, RecordKind::kModel);
  EXPECT_EQ(summary->predicate_type, kModelPredicateType);
  EXPECT_THAT(summary->signature_keyids, ElementsAre(SshFingerprint(TestKey().public_key())));

  std::string root = statement["predicate"]["weightsRoots"][0]["root"];
  ASSERT_EQ(summary->subjects.size(), 3u);
  EXPECT_EQ(summary->subjects[0].name, "config.json");
  EXPECT_EQ(summary->subjects[0].algorithm, "sha256");
  EXPECT_EQ(summary->subjects[0].digest, DigestHex("config"));
  EXPECT_EQ(summary->subjects[2].name, "weights-root:safetensors");
  EXPECT_EQ(summary->subjects[2].algorithm, "rfc6962-sha256");
  EXPECT_EQ(summary->subjects[2].digest, root);

  ASSERT_TRUE(summary->model.has_value());
  EXPECT_FALSE(summary->claim.has_value());
  const ModelSummary& model = *summary->model;
  EXPECT_EQ(model.name, "acme/tiny");
  EXPECT_EQ(model.revision, "v1");
  EXPECT_EQ(model.hub_repo_id, "acme/tiny");
  EXPECT_EQ(model.hub_revision, "0123abcd");
  ASSERT_EQ(model.weights_roots.size(), 1u);
  EXPECT_EQ(model.weights_roots[0].format, "safetensors");
  EXPECT_EQ(model.weights_roots[0].root, root);
  EXPECT_EQ(model.weights_roots[0].tensor_count, 2u);
  EXPECT_EQ(model.tensor_count, 2u);
  EXPECT_EQ(model.total_bytes, 1020u);
}

TEST(RecordSummary, ClaimRecord) {
  Result<RecordSummary> summary = SummarizeRecord(Envelope(Statement(kClaimPredicateType, ClaimPredicate())));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->kind, RecordKind::kClaim);
  ASSERT_TRUE(summary->claim.has_value());
  const ClaimSummary& claim = *summary->claim;
  EXPECT_EQ(claim.model_record, DigestHex("model"));
  EXPECT_EQ(claim.weights_root, DigestHex("root"));
  EXPECT_EQ(claim.benchmark_name, "mmlu");
  EXPECT_EQ(claim.benchmark_version, "1.0");
  EXPECT_EQ(claim.harness_name, "lm-eval");
  EXPECT_EQ(claim.harness_version, "0.4.2");
  ASSERT_EQ(claim.metrics.size(), 2u);
  EXPECT_EQ(claim.metrics[0].name, "acc");
  EXPECT_EQ(claim.metrics[0].value, 89.9);
  EXPECT_EQ(claim.metrics[0].standard_error, 0.3);
  EXPECT_EQ(claim.metrics[1].value, 88.0);
  EXPECT_EQ(claim.metrics[1].standard_error, std::nullopt);
  EXPECT_FALSE(claim.endpoint);
}

TEST(RecordSummary, EndpointClaimIsNotBoundToWeights) {
  json predicate = {{"endpoint", {{"provider", "example-api"}, {"model", "reflection-70b"}}},
                    {"benchmark", {{"name", "gpqa"}}}};
  Result<RecordSummary> summary = SummarizeRecord(Envelope(Statement(kClaimPredicateType, predicate)));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_TRUE(summary->claim->endpoint);
  EXPECT_EQ(summary->claim->endpoint_provider, "example-api");
  EXPECT_EQ(summary->claim->endpoint_model, "reflection-70b");
  EXPECT_EQ(summary->claim->weights_root, std::nullopt);
  EXPECT_EQ(summary->claim->benchmark_version, std::nullopt);
}

TEST(RecordSummary, ClaimFieldsAreReadLeniently) {
  json predicate = {{"modelRecord", "ABC"},           // not 64 lowercase hex
                    {"weightsRoot", DigestHex("r").substr(1)},
                    {"benchmark", "mmlu"},            // not an object
                    {"harness", {{"name", 42}, {"version", "1"}}},
                    {"metrics",
                     {{{"value", 1}},                  // no name: skipped
                      {{"name", "acc"}, {"value", "NaN"}, {"stderr", true}},
                      "not an object"}},
                    {"endpoint", "yes"}};
  Result<RecordSummary> summary = SummarizeRecord(Envelope(Statement(kClaimPredicateType, predicate)));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  const ClaimSummary& claim = *summary->claim;
  EXPECT_EQ(claim.model_record, std::nullopt);
  EXPECT_EQ(claim.weights_root, std::nullopt);
  EXPECT_EQ(claim.benchmark_name, std::nullopt);
  EXPECT_EQ(claim.harness_name, std::nullopt);
  EXPECT_EQ(claim.harness_version, "1");
  ASSERT_EQ(claim.metrics.size(), 1u);
  EXPECT_EQ(claim.metrics[0].name, "acc");
  EXPECT_EQ(claim.metrics[0].value, std::nullopt);
  EXPECT_EQ(claim.metrics[0].standard_error, std::nullopt);
  EXPECT_FALSE(claim.endpoint);

  // A claim with no predicate at all still indexes, with nothing known.
  json bare = Statement(kClaimPredicateType, {});
  bare.erase("predicate");
  summary = SummarizeRecord(Envelope(bare));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->claim->benchmark_name, std::nullopt);
}

TEST(RecordSummary, ReproductionRecord) {
  json predicate = {{"claim", DigestHex("claim")},
                    {"weightsRoot", DigestHex("root")},
                    {"verdicts",
                     {{{"metric", "acc"}, {"verdict", "not-reproduced"}},
                      {{"metric", "acc_norm"}},  // no verdict: skipped
                      {{"metric", "f1"}, {"verdict", "inconclusive"}}}}};
  Result<RecordSummary> summary =
      SummarizeRecord(Envelope(Statement(kReproductionPredicateType, predicate)));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->kind, RecordKind::kReproduction);
  const ReproductionSummary& reproduction = *summary->reproduction;
  EXPECT_EQ(reproduction.claim, DigestHex("claim"));
  EXPECT_EQ(reproduction.weights_root_observed, DigestHex("root"));
  ASSERT_EQ(reproduction.verdicts.size(), 2u);
  EXPECT_EQ(reproduction.verdicts[0].metric, "acc");
  EXPECT_EQ(reproduction.verdicts[0].verdict, "not-reproduced");
  EXPECT_EQ(reproduction.verdicts[1].metric, "f1");
}

TEST(RecordSummary, OtherRecordsKeepSubjectsAndSigners) {
  json statement = Statement("https://example.com/vsa/v1", {{"anything", 1}});
  statement["subject"].push_back({{"name", "two-digests"},
                                  {"digest", {{"sha512", "ab"}, {"sha256", "cd"}}}});
  statement["subject"].push_back({{"uri", "https://example.com/no-digest"}});
  DsseEnvelope envelope{std::string(kInTotoPayloadType), statement.dump(),
                        {{"", std::string(64, 'x')}, {"SHA256:other", "short"}}};
  Result<RecordSummary> summary = SummarizeRecord(SerializeDsseEnvelope(envelope));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->kind, RecordKind::kOther);
  EXPECT_FALSE(summary->model || summary->claim || summary->reproduction);
  EXPECT_THAT(summary->signature_keyids, ElementsAre("", "SHA256:other"));
  ASSERT_EQ(summary->subjects.size(), 3u);
  // Digest algorithms of one subject come in name order.
  EXPECT_EQ(summary->subjects[1].name, "two-digests");
  EXPECT_EQ(summary->subjects[1].algorithm, "sha256");
  EXPECT_EQ(summary->subjects[2].algorithm, "sha512");
}

TEST(RecordSummary, RefusesWhatIsNotAStatementEnvelope) {
  EXPECT_THAT(SummaryError("not json").message(), ::testing::StartsWith("envelope: invalid JSON"));
  EXPECT_EQ(SummaryError("[]").message(), "envelope is not a JSON object");

  DsseEnvelope other{"text/plain", TinyModelStatement().dump(), {}};
  EXPECT_THAT(SummaryError(SerializeDsseEnvelope(other)).message(),
              HasSubstr("payload type is 'text/plain'"));
  EXPECT_THAT(SummaryError(SignedEnvelope("{\"_type\":")).message(), ::testing::StartsWith("payload: invalid JSON"));
  EXPECT_EQ(SummaryError(SignedEnvelope("[1,2]")).message(), "payload is not a JSON object");

  json statement = Statement(kClaimPredicateType, ClaimPredicate());
  statement["_type"] = "https://in-toto.io/Statement/v0.1";
  EXPECT_EQ(SummaryError(Envelope(statement)).message(), "payload is not an in-toto Statement v1");

  statement = Statement(kClaimPredicateType, ClaimPredicate());
  statement.erase("predicateType");
  EXPECT_THAT(SummaryError(Envelope(statement)).message(), HasSubstr("\"predicateType\" is missing"));

  statement = Statement(kClaimPredicateType, ClaimPredicate());
  statement["subject"] = "thing";
  EXPECT_THAT(SummaryError(Envelope(statement)).message(), HasSubstr("\"subject\" is missing or not an array"));

  statement = Statement(kClaimPredicateType, ClaimPredicate());
  statement["subject"][0]["digest"]["sha256"] = 5;
  EXPECT_EQ(SummaryError(Envelope(statement)).message(),
            "statement subject 0: digest \"sha256\" is not a string");

  statement = Statement(kClaimPredicateType, ClaimPredicate());
  statement["subject"][0]["name"] = json::array();
  EXPECT_EQ(SummaryError(Envelope(statement)).message(),
            "statement subject 0: \"name\" is not a string");
}

TEST(RecordSummary, RefusesAbsurdSizes) {
  std::string huge(kMaxRecordEnvelopeBytes + 1, ' ');
  Status status = SummaryError(huge);
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(status.message(), HasSubstr("exceeds the limit"));

  // A file size that would wrap the model's byte total.
  json statement = TinyModelStatement();
  statement["predicate"]["files"][0]["size"] = std::numeric_limits<uint64_t>::max();
  status = SummaryError(Envelope(statement));
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(status.message(), "predicate.files: total size is out of range");
}

TEST(RecordSummary, ModelRecordsAreReadStrictly) {
  json statement = TinyModelStatement();
  statement["predicate"]["model"].erase("name");
  Status status = SummaryError(Envelope(statement));
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(status.message(), "predicate.model.name: missing");

  statement = TinyModelStatement();
  statement["predicate"]["files"][1]["tensors"][0]["sha256"] = DigestHex("edited");
  status = SummaryError(Envelope(statement));
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(status.message(), HasSubstr("does not follow from the record's tensor table"));
}

// Where a byte of a serialized envelope lies: inside one of its values, or in
// the JSON around them (braces, quotes, member names).
enum class EnvelopePart { kPayload, kPayloadType, kKeyId, kSignature, kStructure };

EnvelopePart PartAt(const std::string& envelope, size_t at) {
  const json parsed = json::parse(envelope);
  const std::pair<EnvelopePart, std::string> values[] = {
      {EnvelopePart::kPayload, parsed["payload"]},
      {EnvelopePart::kPayloadType, parsed["payloadType"]},
      {EnvelopePart::kKeyId, parsed["signatures"][0]["keyid"]},
      {EnvelopePart::kSignature, parsed["signatures"][0]["sig"]}};
  for (const auto& [part, value] : values) {
    const size_t begin = envelope.find("\"" + value + "\"") + 1;  // each value is unique in the text
    if (at >= begin && at < begin + value.size()) return part;
  }
  return EnvelopePart::kStructure;
}

// Checks an accepted envelope's summary against what the envelope says, read
// without SummarizeRecord: the id is the SHA-256 of its decoded payload, the
// payload is an in-toto statement, and every field is what a freshly signed
// envelope of that payload summarizes to.
// Whether TestKey's signature on the envelope verifies (it parses).
bool VerifiesWithTheSigner(const std::string& envelope) {
  const Ed25519PublicKey signer = TestKey().public_key();
  return VerifyDsse(*ParseDsseEnvelope(envelope), kInTotoPayloadType, std::span(&signer, 1)).ok();
}

void ExpectSummaryOfWhatItSays(const std::string& envelope, const RecordSummary& summary, const std::string& what) {
  const json outer = json::parse(envelope, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(outer.is_object()) << what << ": accepted an envelope that is not a JSON object";
  ASSERT_EQ(outer.value("payloadType", ""), kInTotoPayloadType) << what;
  Result<std::string> payload = DecodeBase64AnyVariant(outer.value("payload", ""));
  ASSERT_TRUE(payload.ok()) << what << ": accepted a payload that is not base64";
  const json statement = json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(statement.is_object()) << what << ": accepted a payload that is not a JSON object";
  EXPECT_EQ(statement.value("_type", ""), kInTotoStatementType) << what;
  EXPECT_EQ(summary.id, ToHex(Sha256::Of(*payload))) << what;
  EXPECT_EQ(summary.predicate_type, statement.value("predicateType", "")) << what;

  std::vector<std::string> keyids;
  for (const json& signature : outer["signatures"]) {
    keyids.push_back(signature.contains("keyid") ? signature["keyid"].get<std::string>() : "");
  }
  EXPECT_EQ(summary.signature_keyids, keyids) << what;

  Result<RecordSummary> fresh = SummarizeRecord(SignedEnvelope(*payload));
  ASSERT_TRUE(fresh.ok()) << what << ": " << fresh.status().message();
  EXPECT_EQ(summary.id, fresh->id) << what;
  EXPECT_EQ(summary.kind, fresh->kind) << what;
  ASSERT_EQ(summary.subjects.size(), fresh->subjects.size()) << what;
  for (size_t i = 0; i < summary.subjects.size(); ++i) {
    EXPECT_EQ(summary.subjects[i].name, fresh->subjects[i].name) << what;
    EXPECT_EQ(summary.subjects[i].algorithm, fresh->subjects[i].algorithm) << what;
    EXPECT_EQ(summary.subjects[i].digest, fresh->subjects[i].digest) << what;
  }
  ASSERT_EQ(summary.claim.has_value(), fresh->claim.has_value()) << what;
  if (summary.claim) {
    const ClaimSummary &claim = *summary.claim, &expected = *fresh->claim;
    EXPECT_EQ(claim.model_record, expected.model_record) << what;
    EXPECT_EQ(claim.weights_root, expected.weights_root) << what;
    EXPECT_EQ(claim.benchmark_name, expected.benchmark_name) << what;
    EXPECT_EQ(claim.benchmark_version, expected.benchmark_version) << what;
    EXPECT_EQ(claim.harness_name, expected.harness_name) << what;
    EXPECT_EQ(claim.harness_version, expected.harness_version) << what;
    ASSERT_EQ(claim.metrics.size(), expected.metrics.size()) << what;
    for (size_t i = 0; i < claim.metrics.size(); ++i) {
      EXPECT_EQ(claim.metrics[i].name, expected.metrics[i].name) << what;
      EXPECT_EQ(claim.metrics[i].value, expected.metrics[i].value) << what;
      EXPECT_EQ(claim.metrics[i].standard_error, expected.metrics[i].standard_error) << what;
    }
  }
}

// Every single-byte corruption of a signed claim envelope (leveldb's
// corruption tests: flip bytes, check the reason). A flip is either refused
// as invalid input or a failed check, in one non-empty line, or summarized as
// exactly what the corrupted envelope now says; and by where it landed:
//   payload type  always refused: nothing else is an in-toto record;
//   payload       never the original id (the id is the payload's hash), and
//                 the signature no longer verifies;
//   signature     the original id: SummarizeRecord does not verify
//                 signatures (record_summary.h); but the signature no longer
//                 verifies, so VerifyLedger refuses the record;
//   keyid         the original id, the keyid as it now reads, and the
//                 signature still verifies (a keyid is a hint).
TEST(RecordSummary, EveryFlippedByteIsRefusedOrSummarizedAsWhatItNowSays) {
  const std::string envelope = Envelope(Statement(kClaimPredicateType, ClaimPredicate()));
  const Result<RecordSummary> original = SummarizeRecord(envelope);
  ASSERT_TRUE(original.ok()) << original.status().message();
  std::map<EnvelopePart, std::pair<int, int>> refused_and_summarized;
  for (size_t i = 0; i < envelope.size(); ++i) {
    std::string corrupt = envelope;
    corrupt[i] = static_cast<char>(corrupt[i] ^ 0x41);
    const EnvelopePart part = PartAt(envelope, i);
    const std::string what = "byte " + std::to_string(i) + " ('" + envelope.substr(i, 1) + "')";
    Result<RecordSummary> summary = SummarizeRecord(corrupt);
    if (!summary.ok()) {
      ++refused_and_summarized[part].first;
      EXPECT_TRUE(summary.status().kind() == ErrorKind::kInvalidInput ||
                  summary.status().kind() == ErrorKind::kCheckFailed)
          << what << ": " << summary.status().message();
      EXPECT_FALSE(summary.status().message().empty()) << what;
      EXPECT_EQ(summary.status().message().find('\n'), std::string::npos) << what;
      continue;
    }
    ++refused_and_summarized[part].second;
    ExpectSummaryOfWhatItSays(corrupt, *summary, what);
    const bool verifies = VerifiesWithTheSigner(corrupt);
    switch (part) {
      case EnvelopePart::kPayloadType:
        ADD_FAILURE() << what << ": a record with payload type " << json::parse(corrupt)["payloadType"]
                      << " was summarized";
        break;
      case EnvelopePart::kPayload:
        EXPECT_NE(summary->id, original->id) << what;
        EXPECT_FALSE(verifies) << what << ": a changed payload still verifies";
        break;
      case EnvelopePart::kSignature:
        EXPECT_EQ(summary->id, original->id) << what;
        EXPECT_FALSE(verifies) << what << ": a changed signature still verifies";
        break;
      case EnvelopePart::kKeyId:
        EXPECT_EQ(summary->id, original->id) << what;
        EXPECT_TRUE(verifies) << what << ": the keyid is only a hint";
        break;
      case EnvelopePart::kStructure:
        EXPECT_TRUE(!verifies || summary->id == original->id) << what << ": verifies as another record";
        break;
    }
  }
  // Each part was hit, and the payload both ways: the checks above ran.
  EXPECT_GT(refused_and_summarized[EnvelopePart::kPayload].first, 0);
  EXPECT_GT(refused_and_summarized[EnvelopePart::kPayload].second, 0);
  EXPECT_GT(refused_and_summarized[EnvelopePart::kPayloadType].first, 10);
  EXPECT_GT(refused_and_summarized[EnvelopePart::kSignature].first, 0);
  EXPECT_GT(refused_and_summarized[EnvelopePart::kStructure].first, 0);
}

}  // namespace
}  // namespace assay
