// An observation record (docs/spec/observation.md): what a model repository
// said at one revision, as someone who read its history saw it. A Hugging
// Face repo is a git repository whose weight files are Git LFS pointers: the
// pointer's sha256 is what the Hub asserts (on Xet-backed repos it is the
// uploading client's word, never checked), so the evidence kind is
// "hub-asserted" until someone hashes the bytes (a model record).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "json/record_fields.h"
#include "status.h"

namespace assay {

inline constexpr char kObservationEvidenceHubAsserted[] = "hub-asserted";

// One file of the revision's tree.
struct ObservedFile {
  std::string path;                   // "model-00001-of-00002.safetensors", "/" between folders
  uint64_t size = 0;                  // the pointer's size, or the blob's
  std::optional<std::string> lfs_oid;  // lowercase hex: the pointer's oid, for a file kept in LFS
  std::optional<std::string> sha256;   // lowercase hex: the blob's digest, for a file kept in git
  // The blob itself, for a JSON config file kept in git (KeepsConfigText):
  // what lets a reader say which config keys changed between revisions.
  std::optional<std::string> text;
};

// config.json, generation_config.json, tokenizer_config.json and the other
// JSON config files (model/config_diff.h) keep their text in an observation,
// up to kMaxObservedConfigTextBytes (real ones are kilobytes; a chat template
// makes tokenizer_config.json tens of them) and when it is UTF-8.
bool KeepsConfigText(std::string_view path);
inline constexpr size_t kMaxObservedConfigTextBytes = 256 << 10;

// A revision observed before that the history no longer reaches.
struct MissingRevision {
  std::string commit;       // 40 lowercase hex
  std::string observed_at;  // when it was observed, RFC 3339 UTC
  std::string record;       // the observation record that saw it (64 lowercase hex)
};

struct Observation {
  std::string source;        // "hf:ORG/NAME", or the remote's URL
  std::string observer;      // the signer's name in the observer's trust file, or their key id
  std::string observed_at;   // RFC 3339 UTC, the observer's clock
  std::string commit;        // 40 lowercase hex
  std::vector<std::string> parents;  // the commit's parents, 40 lowercase hex each
  std::string time;          // the committer's time, RFC 3339 UTC: asserted by whoever pushed
  std::string author;        // "Name <email>"
  std::string message;       // the first kMaxObservedMessageBytes of it
  bool message_truncated = false;
  std::vector<ObservedFile> files;  // sorted by path
  std::string evidence = kObservationEvidenceHubAsserted;
  std::vector<MissingRevision> missing_revisions;  // oldest observation first

  const ObservedFile* FindFile(std::string_view path) const;
};

inline constexpr size_t kMaxObservedMessageBytes = 64 << 10;
// More files than any model repository has: a record of this many is ~10 MB.
inline constexpr size_t kMaxObservedFiles = 100'000;

nlohmann::json ObservationStatement(const Observation& observation);
// kInvalidInput naming the field for a statement that is not an observation
// record; members a later version adds are passed over (records.md, rule 4).
Result<Observation> ParseObservationStatement(std::string_view statement_bytes);

// The subject's name: "SOURCE@COMMIT".
std::string ObservationSubjectName(const Observation& observation);

}  // namespace assay
