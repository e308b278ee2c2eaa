// `assay history MODEL`: every revision of a model repository that the
// ledger knows of, oldest first, from observations (docs/spec/
// observation.md) and model records: what changed in it, whether someone
// hashed its bytes and whether they match the pointers the Hub asserted,
// which claims name it, which endpoints a host said served it, and which
// revisions a rewritten history dropped.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "claim/plan_check.h"
#include "model/config_diff.h"
#include "ops/context.h"
#include "ops/revocation_ops.h"

namespace assay {

struct HistoryRequest {
  std::string model;  // "ORG/NAME", "hf:ORG/NAME", or a repository URL
  std::vector<std::string> checkpoints;  // cosigned checkpoints: witnesses' times for the records
};

// Who observed a revision, and whether the record counts.
struct RevisionObserver {
  std::string name;         // the trust file's name for the signer, or "UNTRUSTED signer"
  std::string observed_at;  // asserted by that observer's clock
  std::string record;
  std::string problem;  // why it does not count; "" when it does
  // The earliest witness cosignature of a given checkpoint covering the
  // record: a time someone other than the observer vouches it was there by.
  std::optional<WitnessedCheckpoint> witnessed;
};

struct FileChange {
  std::string path;
  std::string change;  // "added", "removed" or "changed"
};

// A model record matched to the revision: whose bytes someone hashed.
struct BytesCheck {
  std::string record;
  std::string signer;   // as RevisionObserver::name
  std::string problem;  // why the record does not count; "" when it does
  bool by_digests = false;  // matched by its weight files' digests (its revision is a label)
  // Each file whose hashed digest is not the observed one: "PATH: pointer A,
  // bytes B" (kept in LFS) or "PATH: git A, bytes B" (kept in git).
  std::vector<std::string> mismatches;
  bool pointers_differ = false;  // one of them is kept in LFS: the Hub's pointer is not these bytes
  std::optional<WitnessedCheckpoint> witnessed;  // as RevisionObserver's
};

struct RevisionClaim {
  std::string record;
  std::string kind;       // "claim", "reproduction" or "endpoint claim"
  std::string benchmark;  // "" when the record names none
  // An endpoint claim's (and its reproductions'): the endpoint it ran on,
  // when (asserted by its log), and the deployment of this revision's
  // weights that served then; "" for the others.
  std::string endpoint, run_started, served_under;
};

// A host's word that an endpoint served the weights of one of the revision's
// model records (ops/deployment_ops.h).
struct RevisionDeployment {
  std::string record;
  std::string endpoint;  // PROVIDER/MODEL
  std::string host;      // the signer's trust-file name, or "UNTRUSTED signer"
  std::string from;
  std::string ended;     // "" while it serves
  std::string problem;   // why it does not count; "" when it does
  std::optional<WitnessedCheckpoint> witnessed;  // as RevisionObserver's
};

struct HistoryRevision {
  std::string commit;   // "" for a model record that matches no observed revision
  std::string label;    // that record's revision label ("" otherwise)
  std::string time;     // the committer's, RFC 3339 UTC: asserted by whoever pushed it
  std::string author;
  std::string subject;  // the message's first line
  std::vector<RevisionObserver> observers;
  std::vector<FileChange> weight_changes;  // files kept in LFS, by pointer oid, from the parent
  std::vector<FileChange> file_changes;    // the other files, by digest
  // The changed JSON config files whose text both observations kept, key by
  // key, identity keys marked (model/config_diff.h).
  ConfigDiff config_changes;
  bool first = false;                      // no earlier revision to compare with
  std::vector<BytesCheck> hashed;
  std::vector<RevisionClaim> claims;
  std::vector<RevisionDeployment> deployments;
  // Observed before and no longer reachable: when an observer said so.
  std::optional<RevisionObserver> gone;

  // The records named above: observations, model records, claims and
  // reproductions, deployments.
  std::vector<std::string> Records() const;
};

struct ModelHistory {
  std::string model;   // "ORG/NAME" ("" for a source that names none)
  std::string source;  // "hf:ORG/NAME" or a URL
  std::vector<HistoryRevision> revisions;  // oldest first
  // The counting revocations (ops/revocation_ops.h) of records named above:
  // observations, model records, claims, reproductions, deployments.
  std::vector<JudgedRevocation> withdrawn;

  // The counting revocation of `record`, or null.
  const JudgedRevocation* WithdrawalOf(const std::string& record) const;
};

// MODEL as history takes it: the model's name ("" for a source that names
// none) and its repository's source. kInvalidInput for a MODEL that is none
// of the three forms.
Result<std::pair<std::string, std::string>> RepositoryOf(const std::string& model);

// kInvalidInput for a MODEL that is none of the three forms; a model the
// ledger knows nothing of is an empty history, not an error.
Result<ModelHistory> LoadModelHistory(Context& context, const HistoryRequest& request);

}  // namespace assay
