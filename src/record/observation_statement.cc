#include "record/observation_statement.h"

#include <algorithm>

#include "digest/sha256.h"
#include "json/strict_json.h"
#include "model/config_diff.h"
#include "record/in_toto.h"
#include "utc_time.h"

namespace assay {
namespace {

using json = nlohmann::json;

// A git object id: SHA-1 (40 hex digits) or, in a SHA-256 repository, 64.
bool IsCommitId(std::string_view text) {
  if (text.size() != 40 && text.size() != 64) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Result<std::string> CommitField(const Fields& fields, const std::string& key) {
  ASSAY_ASSIGN_OR_RETURN(std::string commit, fields.String(key));
  if (!IsCommitId(commit)) {
    return Status::InvalidInput(fields.path() + "." + key + ": expected a commit id (40 or 64 lowercase hex digits)");
  }
  return commit;
}

Result<std::string> HexDigestField(const Fields& fields, const std::string& key) {
  ASSAY_ASSIGN_OR_RETURN(Sha256Digest digest, fields.Digest(key));
  return ToHex(digest);
}

Result<std::string> TimeField(const Fields& fields, const std::string& key) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, fields.String(key));
  if (!ParseIsoTime(text)) return Status::InvalidInput(fields.path() + "." + key + ": expected an RFC 3339 time");
  return text;
}

Result<ObservedFile> ReadFile(const Fields& fields) {
  ObservedFile file;
  ASSAY_ASSIGN_OR_RETURN(file.path, fields.String("path"));
  if (file.path.empty()) return Status::InvalidInput(fields.path() + ".path: empty");
  ASSAY_ASSIGN_OR_RETURN(file.size, fields.Unsigned("size"));
  if (fields.Has("lfsOid")) {
    ASSAY_ASSIGN_OR_RETURN(file.lfs_oid, HexDigestField(fields, "lfsOid"));
  }
  if (fields.Has("sha256")) {
    ASSAY_ASSIGN_OR_RETURN(file.sha256, HexDigestField(fields, "sha256"));
  }
  if (file.lfs_oid.has_value() == file.sha256.has_value()) {
    return Status::InvalidInput(fields.path() + ": a file has one of lfsOid (kept in LFS) and sha256 (kept in git)");
  }
  if (fields.Has("text")) {
    ASSAY_ASSIGN_OR_RETURN(file.text, fields.String("text"));
    const std::string where = fields.path() + ".text";
    if (!file.sha256 || !KeepsConfigText(file.path)) {
      return Status::InvalidInput(where + ": only a JSON config file kept in git keeps its text ('" + file.path + "')");
    }
    if (file.text->size() > kMaxObservedConfigTextBytes) {
      return Status::InvalidInput(where + ": more than " + std::to_string(kMaxObservedConfigTextBytes) + " bytes");
    }
    if (file.text->size() != file.size || ToHex(Sha256::Of(*file.text)) != *file.sha256) {
      return Status::InvalidInput(where + ": is not the file its size and sha256 name");
    }
  }
  return file;
}

Result<Observation> ReadPredicate(const Fields& predicate) {
  Observation observation;
  ASSAY_ASSIGN_OR_RETURN(observation.source, predicate.String("source"));
  if (observation.source.empty()) return Status::InvalidInput(predicate.path() + ".source: empty");
  ASSAY_ASSIGN_OR_RETURN(observation.observer, predicate.String("observer"));
  ASSAY_ASSIGN_OR_RETURN(observation.observed_at, TimeField(predicate, "observedAt"));
  ASSAY_ASSIGN_OR_RETURN(observation.evidence, predicate.String("evidence"));
  if (observation.evidence != kObservationEvidenceHubAsserted) {
    return Status::InvalidInput(predicate.path() + ".evidence: '" + observation.evidence + "' is not hub-asserted");
  }
  ASSAY_ASSIGN_OR_RETURN(Fields revision, predicate.Object("revision"));
  ASSAY_ASSIGN_OR_RETURN(observation.commit, CommitField(revision, "commit"));
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> parents, revision.Array("parents"));
  for (const Fields& parent : parents) {
    if (!parent.value().is_string() || !IsCommitId(parent.value().get<std::string>())) {
      return Status::InvalidInput(parent.path() + ": expected a commit id");
    }
    observation.parents.push_back(parent.value().get<std::string>());
  }
  ASSAY_ASSIGN_OR_RETURN(observation.time, TimeField(revision, "time"));
  ASSAY_ASSIGN_OR_RETURN(observation.author, revision.String("author"));
  ASSAY_ASSIGN_OR_RETURN(observation.message, revision.String("message"));
  if (revision.Has("messageTruncated")) {
    ASSAY_ASSIGN_OR_RETURN(observation.message_truncated, revision.Bool("messageTruncated"));
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> files, predicate.Array("files"));
  if (files.size() > kMaxObservedFiles) {
    return Status::InvalidInput(predicate.path() + ".files: more than " + std::to_string(kMaxObservedFiles) + " files");
  }
  for (const Fields& fields : files) {
    ASSAY_ASSIGN_OR_RETURN(ObservedFile file, ReadFile(fields));
    if (!observation.files.empty() && !(observation.files.back().path < file.path)) {
      return Status::InvalidInput(fields.path() + ".path: '" + file.path + "' is out of order or twice");
    }
    observation.files.push_back(std::move(file));
  }
  if (predicate.Has("missingRevisions")) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> missing, predicate.Array("missingRevisions"));
    for (const Fields& fields : missing) {
      MissingRevision one;
      ASSAY_ASSIGN_OR_RETURN(one.commit, CommitField(fields, "commit"));
      ASSAY_ASSIGN_OR_RETURN(one.observed_at, TimeField(fields, "observedAt"));
      ASSAY_ASSIGN_OR_RETURN(one.record, HexDigestField(fields, "record"));
      observation.missing_revisions.push_back(std::move(one));
    }
  }
  return observation;
}

}  // namespace

bool KeepsConfigText(std::string_view path) {
  const std::string name(path);
  return IsConfigFile(name) && ConfigFileKindOf(name) == ConfigFileKind::kJson;
}

const ObservedFile* Observation::FindFile(std::string_view path) const {
  auto found = std::lower_bound(files.begin(), files.end(), path,
                                [](const ObservedFile& file, std::string_view wanted) { return file.path < wanted; });
  return found != files.end() && found->path == path ? &*found : nullptr;
}

std::string ObservationSubjectName(const Observation& observation) {
  return observation.source + "@" + observation.commit;
}

json ObservationStatement(const Observation& observation) {
  json files = json::array();
  for (const ObservedFile& file : observation.files) {
    json entry = {{"path", file.path}, {"size", file.size}};
    if (file.lfs_oid) entry["lfsOid"] = *file.lfs_oid;
    if (file.sha256) entry["sha256"] = *file.sha256;
    if (file.text) entry["text"] = *file.text;
    files.push_back(std::move(entry));
  }
  json revision = {{"commit", observation.commit},
                   {"parents", observation.parents},
                   {"time", observation.time},
                   {"author", observation.author},
                   {"message", observation.message}};
  if (observation.message_truncated) revision["messageTruncated"] = true;
  json predicate = {{"source", observation.source},
                    {"observer", observation.observer},
                    {"observedAt", observation.observed_at},
                    {"evidence", observation.evidence},
                    {"revision", std::move(revision)},
                    {"files", std::move(files)}};
  if (!observation.missing_revisions.empty()) {
    json missing = json::array();
    for (const MissingRevision& one : observation.missing_revisions) {
      missing.push_back({{"commit", one.commit}, {"observedAt", one.observed_at}, {"record", one.record}});
    }
    predicate["missingRevisions"] = std::move(missing);
  }
  return {{"_type", kInTotoStatementType},
          {"subject", json::array({{{"name", ObservationSubjectName(observation)},
                                    {"digest", {{"gitCommit", observation.commit}}}}})},
          {"predicateType", kObservationPredicateType},
          {"predicate", std::move(predicate)}};
}

Result<Observation> ParseObservationStatement(std::string_view statement_bytes) {
  ASSAY_ASSIGN_OR_RETURN(json document, ParseStrictJson(statement_bytes));
  const Fields statement(document, "");
  ASSAY_ASSIGN_OR_RETURN(Fields predicate,
                         StatementPredicate(statement, kObservationPredicateType, "an observation record"));
  ASSAY_ASSIGN_OR_RETURN(Observation observation, ReadPredicate(predicate));
  ASSAY_RETURN_IF_ERROR(
      CheckSubjects(statement, {{ObservationSubjectName(observation), {"gitCommit", observation.commit}}}));
  return observation;
}

}  // namespace assay
