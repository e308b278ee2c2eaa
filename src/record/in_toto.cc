#include "record/in_toto.h"

#include <nlohmann/json.hpp>
#include <set>

#include "json/strict_json.h"

namespace assay {

bool IsBareStatement(std::string_view text) {
  Result<nlohmann::json> probe = ParseStrictJson(text);
  return probe.ok() && probe->is_object() && probe->contains("_type") && !probe->contains("payloadType");
}

Result<Fields> StatementPredicate(const Fields& statement, std::string_view predicate_type,
                                  std::string_view record_kind) {
  ASSAY_ASSIGN_OR_RETURN(std::string type, statement.String("_type"));
  if (type != kInTotoStatementType)
    return Status::InvalidInput("_type: not an in-toto Statement v1");
  ASSAY_ASSIGN_OR_RETURN(std::string found, statement.String("predicateType"));
  if (found != predicate_type) {
    return Status::InvalidInput("predicateType: \"" + found + "\" is not " +
                                std::string(record_kind));
  }
  return statement.Object("predicate");
}

Status CheckSubjects(const Fields& statement, const ExpectedSubjects& expected) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> subjects, statement.Array("subject"));
  if (subjects.size() != expected.size()) {
    return Status::InvalidInput("subject: " + std::to_string(subjects.size()) +
                                " subjects where the predicate names " +
                                std::to_string(expected.size()));
  }
  // Equal counts are not enough: a subject listed twice would stand in for
  // one the signer left out.
  std::set<std::string> seen;
  for (const Fields& subject : subjects) {
    ASSAY_ASSIGN_OR_RETURN(std::string name, subject.String("name"));
    ASSAY_ASSIGN_OR_RETURN(Fields digest, subject.Object("digest"));
    auto found = expected.find(name);
    if (found == expected.end())
      return Status::InvalidInput(subject.path() + ": \"" + name + "\" is not in the predicate");
    if (!seen.insert(name).second)
      return Status::InvalidInput(subject.path() + ": \"" + name + "\" appears twice");
    const auto& [algorithm, expected_digest] = found->second;
    // A git commit id is SHA-1 or SHA-256 by the repository's format: compared as written.
    std::string value;
    if (algorithm == "gitCommit") {
      ASSAY_ASSIGN_OR_RETURN(value, digest.String(algorithm));
    } else {
      ASSAY_ASSIGN_OR_RETURN(Sha256Digest sha256, digest.Digest(algorithm));
      value = ToHex(sha256);
    }
    if (value != expected_digest) {
      return Status::InvalidInput(subject.path() + ": digest of \"" + name +
                                  "\" disagrees with the predicate");
    }
  }
  return Status::Ok();
}

}  // namespace assay
