// What the ledger's query index knows about one record (docs/spec/ledger-index.md):
// read from the record's envelope bytes alone, so an index rebuilt from git
// gives the same summaries. The envelope's signatures are NOT verified here
// (the ledger verified the record before appending it); its payload is parsed
// as an in-toto Statement v1. Model records are read as strictly as
// `assay verify model` reads them; claim and reproduction records leniently,
// field by field, because their formats are still being written: a field that
// is missing or of the wrong type is left empty rather than refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "record/in_toto.h"
#include "status.h"
#include "record/record_id.h"

namespace assay {


// The largest envelope summarized: a model record of ~100,000 tensors (the
// largest mixture-of-experts checkpoints) is about 30 MB of base64.
inline constexpr size_t kMaxRecordEnvelopeBytes = size_t{64} << 20;

enum class RecordKind { kModel, kClaim, kReproduction, kOther };

// "model", "claim", "reproduction" or "other": the word the ledger's commit
// subjects and the index use.
std::string_view RecordKindName(RecordKind kind);
// The inverse of RecordKindName; nullopt for any other word.
std::optional<RecordKind> RecordKindFromName(std::string_view name);
// By predicate type: assay's three record types, everything else kOther.
RecordKind RecordKindOf(std::string_view predicate_type);

// One (subject, digest algorithm) pair: a subject with two digests gives two.
struct SubjectDigest {
  std::string name;
  std::string algorithm;  // "sha256", "rfc6962-sha256", ...
  std::string digest;     // as the statement writes it (lowercase hex)
};

struct WeightsRootSummary {
  std::string format;  // "safetensors" or "gguf"
  std::string root;    // lowercase hex
  uint64_t tensor_count = 0;
};

struct ModelSummary {
  std::string name;
  std::optional<std::string> revision;
  std::optional<std::string> hub_repo_id;   // set together with hub_revision
  std::optional<std::string> hub_revision;
  std::vector<WeightsRootSummary> weights_roots;  // in the record's order
  uint64_t tensor_count = 0;  // every itemised tensor of every file
  uint64_t total_bytes = 0;   // sum of the file sizes
};

struct ClaimMetric {
  std::string name;
  std::optional<double> value;           // absent unless a finite number
  std::optional<double> standard_error;  // likewise
};

struct ClaimSummary {
  std::optional<std::string> model_record;  // a record id (64 lowercase hex)
  std::optional<std::string> weights_root;  // 64 lowercase hex
  std::optional<std::string> benchmark_name, benchmark_version;
  std::optional<std::string> harness_name, harness_version;
  std::vector<ClaimMetric> metrics;  // in the record's order
  // A hosted model with no published weights: not bound to any weights root.
  bool endpoint = false;
  std::optional<std::string> endpoint_provider, endpoint_model;
};

struct IndexedVerdict {
  std::string metric;
  std::string verdict;  // as written: "reproduced", "not reproduced", ...
};

struct ReproductionSummary {
  std::optional<std::string> claim;  // the claim's record id (64 lowercase hex)
  std::optional<std::string> weights_root_observed;
  std::vector<IndexedVerdict> verdicts;
};

struct RecordSummary {
  std::string id;  // RecordId(payload)
  std::string predicate_type;
  RecordKind kind = RecordKind::kOther;
  std::vector<SubjectDigest> subjects;  // statement order, then algorithm order
  std::vector<std::string> signature_keyids;  // one per signature, "" when absent
  // Exactly the one that `kind` names is set; none for kOther.
  std::optional<ModelSummary> model;
  std::optional<ClaimSummary> claim;
  std::optional<ReproductionSummary> reproduction;
};

// Errors, each one line without the record's name (the caller adds it):
// kInvalidInput for an envelope over kMaxRecordEnvelopeBytes, one that does
// not parse, a payload type other than in-toto's, a payload that is not an
// in-toto Statement v1 (object with `_type`, string `predicateType`, array
// `subject` of objects whose `digest` maps names to strings), and a model
// record that is not well-formed; kCheckFailed for a model record whose roots
// do not follow from its own tensor table.
Result<RecordSummary> SummarizeRecord(std::string_view envelope_bytes);

}  // namespace assay
