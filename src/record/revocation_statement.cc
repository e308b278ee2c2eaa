#include "record/revocation_statement.h"

#include "json/record_fields.h"
#include "json/strict_json.h"
#include "record/in_toto.h"

namespace assay {

using json = nlohmann::json;

json RevocationStatement(const Revocation& revocation) {
  json predicate = {{"record", revocation.record}, {"recordType", revocation.record_type}, {"reason", revocation.reason}};
  if (!revocation.superseded_by.empty()) predicate["supersededBy"] = revocation.superseded_by;
  return {{"_type", kInTotoStatementType},
          {"subject", json::array({{{"name", "record"}, {"digest", {{"sha256", revocation.record}}}}})},
          {"predicateType", kRevocationPredicateType},
          {"predicate", std::move(predicate)}};
}

Result<Revocation> ParseRevocationStatement(std::string_view statement_bytes) {
  ASSAY_ASSIGN_OR_RETURN(json document, ParseStrictJson(statement_bytes));
  const Fields statement(document, "");
  ASSAY_ASSIGN_OR_RETURN(Fields predicate, StatementPredicate(statement, kRevocationPredicateType, "a revocation record"));
  Revocation revocation;
  ASSAY_ASSIGN_OR_RETURN(Sha256Digest record, predicate.Digest("record"));
  revocation.record = ToHex(record);
  ASSAY_ASSIGN_OR_RETURN(revocation.record_type, predicate.String("recordType"));
  ASSAY_ASSIGN_OR_RETURN(revocation.reason, predicate.String("reason"));
  if (revocation.reason.empty() || revocation.reason.size() > kMaxRevocationReasonBytes) {
    return Status::InvalidInput(predicate.path() + ".reason: expected 1 to " + std::to_string(kMaxRevocationReasonBytes) +
                                " bytes");
  }
  if (predicate.Has("supersededBy")) {
    ASSAY_ASSIGN_OR_RETURN(Sha256Digest successor, predicate.Digest("supersededBy"));
    revocation.superseded_by = ToHex(successor);
    if (revocation.superseded_by == revocation.record) {
      return Status::InvalidInput(predicate.path() + ".supersededBy: a record cannot supersede itself");
    }
  }
  ASSAY_RETURN_IF_ERROR(CheckSubjects(statement, {{"record", {"sha256", revocation.record}}}));
  return revocation;
}

}  // namespace assay
