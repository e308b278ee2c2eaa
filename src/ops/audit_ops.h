// The audit commands: reports that compare what was published with what is
// found (docs/usage.md, docs/forensics.md, docs/compare-transcripts.md).
//   assay diff A B              DiffModels: files, tensors and config keys of
//                               two uploads, each any model reference
//                               (ops/model_reference.h); a report, whatever
//                               the signatures say.
//   assay compare-transcripts   CompareTranscriptFiles: two transcripts over
//                               the same prompts, sample by sample.
//   assay lineage MODEL         TraceLineage: which known model records a
//                               model's tensors come from.
//   assay forensics A B         CompareModelWeights: what kind of change
//                               turns folder A's weights into B's.
//   assay verify lfs DIR        VerifyLfsCheckout: a checkout of LFS pointers
//                               against a model record, without the weights.
// Each is one call; only verify lfs judges (VerdictOf), the others report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "claim/transcript_comparison.h"
#include "model/forensics.h"
#include "model/forensics_summary.h"
#include "model/lfs_checkout.h"
#include "model/lineage.h"
#include "model/model_diff.h"
#include "ops/context.h"
#include "ops/model_reference.h"

namespace assay {

// --- diff ---------------------------------------------------------------

struct DiffRequest {
  std::string a, b;        // model references: record files, ledger references, folders, pointer checkouts
  bool use_cache = false;  // let the hash cache answer for a folder's unchanged files
};

struct ModelComparison {
  ResolvedModel a, b;
  ModelDiff diff;
};

// Warns, for each side whose record's signature does not count, that it was
// compared all the same.
Result<ModelComparison> DiffModels(Context& context, const DiffRequest& request);

// --- compare-transcripts ------------------------------------------------

struct CompareTranscriptsRequest {
  std::string a_path, b_path;               // a side of one file each, or
  std::vector<std::string> a_files, b_files;  // the files of one run per side
  std::string task;                          // the lm-eval task, in a results file holding several
  uint64_t top = 10;
  uint64_t min_samples = 0;  // 0: 1% of those compared, at least 3
  std::string decoding;                     // "greedy", "sampled", or "" to read it from the logs
  std::vector<std::string> baseline_files;  // a second run of A's weights; none when empty
};

struct TranscriptsComparison {
  std::vector<std::string> a_files, b_files, baseline_files;
  TranscriptSide a, b;
  std::optional<TranscriptSide> baseline;
  TranscriptComparison comparison;
};

// kInvalidInput when the sides are given both ways, one lacks files, or
// --decoding names no decoding.
Result<TranscriptsComparison> CompareTranscriptFiles(Context& context, const CompareTranscriptsRequest& request);

// --- lineage ------------------------------------------------------------

struct LineageRequest {
  std::string model;                 // a folder (hashed here) or a model record
  std::vector<std::string> against;  // model records: files or ledger references
  unsigned threads = 0;              // hashing threads for a folder; 0: one per core
};

// A model compared, and how far to trust what its record says.
struct LineageModel {
  std::string label;      // the folder, or "name@revision"
  std::string source;     // the folder, the record file, or "ledger"
  std::string record_id;  // "" for a folder
  // "" for a folder; "signed by NAME (ROLES), key ..." for each signer that
  // counts, "unsigned statement", or "signature NOT verified: WHY".
  std::string signature;
  ModelManifest manifest;
};

struct LineageReport {
  LineageModel model;
  std::vector<LineageModel> known;     // in the order of --against
  std::vector<LineageMatch> matches;  // best first; known_index into `known`
};

// kInvalidInput for a folder given to --against (with a hint), a malformed
// record, or one that is not a model record; kNotFound for a reference
// nothing matches. A record whose signature does not count is compared all
// the same, and says so.
Result<LineageReport> TraceLineage(Context& context, const LineageRequest& request);

// "the same weights: ...", "shares N of M tensors (P% of the bytes)", ...
std::string LineageFinding(const LineageMatch& match);

// --- forensics ----------------------------------------------------------

struct ForensicsRequest {
  std::string folder_a, folder_b;
  ForensicsOptions options;
};

struct WeightsForensics {
  std::string folder_a, folder_b;
  ForensicsReport report;
  ForensicsSummary summary;
};

// kInvalidInput for a malformed weight file or bad options; kIo for a folder
// that cannot be read.
Result<WeightsForensics> CompareModelWeights(Context& context, const ForensicsRequest& request);

// --- verify lfs ---------------------------------------------------------

struct VerifyLfsRequest {
  std::string folder;  // a git checkout cloned with GIT_LFS_SKIP_SMUDGE=1
  std::string record;  // a model record file, or a ledger reference
  bool allow_unsigned = false;
  std::string untrusted_public_key;  // a minisign .pub counted though outside the trust file
};

struct LfsVerification {
  std::string folder;
  ResolvedModel record;  // its `record` holds the signers that counted
  size_t files = 0;      // in the checkout
  size_t pointers = 0;   // of which LFS pointers
  LfsAudit audit;

  bool model_changed() const { return audit.ModelChanged(); }
};

// kCheckFailed when the record's signature does not count (or it is an
// unsigned statement and that is not allowed); kInvalidInput for a garbage
// pointer. A checkout that differs is a result; VerdictOf says no. Warns for
// each signer counted only because its key was allowed.
Result<LfsVerification> VerifyLfsCheckout(Context& context, const VerifyLfsRequest& request);

// kCheckFailed when a weight, shard index or config file changed, is missing or was added.
Status VerdictOf(const LfsVerification& verification);

}  // namespace assay
