// Reading the in-toto Statement v1 around every assay record (DESIGN.md,
// Records): the statement type, the predicate type, and subjects that must say
// exactly what the predicate says (a signer who lists other subjects signs
// something else).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "json/record_fields.h"
#include "status.h"

namespace assay {

inline constexpr char kInTotoStatementType[] = "https://in-toto.io/Statement/v1";
// assay's record types (docs/spec/claim.md); the model record's is in record/model_statement.h.
inline constexpr char kClaimPredicateType[] = "https://assay.dev/claim/v1";
// A claim that names its log files, a group's or a task's (docs/spec/claim-v2.md);
// v1 is still read, and written for a run not read from files.
inline constexpr char kClaimV2PredicateType[] = "https://assay.dev/claim/v2";
inline bool IsClaimPredicateType(std::string_view type) {
  return type == kClaimPredicateType || type == kClaimV2PredicateType;
}
inline constexpr char kReproductionPredicateType[] = "https://assay.dev/reproduction/v1";
// A reproduction that compared configurations and found differences or
// unrecorded fields, or that says "not comparable" (docs/spec/claim-v2.md).
inline constexpr char kReproductionV2PredicateType[] = "https://assay.dev/reproduction/v2";
inline bool IsReproductionPredicateType(std::string_view type) {
  return type == kReproductionPredicateType || type == kReproductionV2PredicateType;
}
// A pre-registered plan of an evaluation (docs/spec/plan.md).
inline constexpr char kPlanPredicateType[] = "https://assay.dev/plan/v1";
// What a model repository held at one revision, as an observer read it (docs/spec/observation.md).
inline constexpr char kObservationPredicateType[] = "https://assay.dev/observation/v1";
// That an endpoint served a model record's weights over a period, as its host says (docs/spec/deployment.md).
inline constexpr char kDeploymentPredicateType[] = "https://assay.dev/deployment/v1";
// An evaluator's test of whether an endpoint serves a model record's weights (docs/spec/comparison.md).
inline constexpr char kComparisonPredicateType[] = "https://assay.dev/comparison/v1";
// A signer's withdrawal of one of its own records (docs/spec/revocation.md).
inline constexpr char kRevocationPredicateType[] = "https://assay.dev/revocation/v1";

// Checks _type and predicateType and returns the predicate object;
// `record_kind` names the expected record in errors ("a claim record").
Result<Fields> StatementPredicate(const Fields& statement, std::string_view predicate_type,
                                  std::string_view record_kind);

// Whether `text` is a bare in-toto statement (an object with "_type" and no
// "payloadType"), not a DSSE envelope; read with the one strict reader, so
// false for anything it refuses.
bool IsBareStatement(std::string_view text);

// Subject name -> (digest algorithm, lowercase hex digest).
using ExpectedSubjects = std::map<std::string, std::pair<std::string, std::string>>;

// kInvalidInput unless the statement's subjects are exactly `expected`.
Status CheckSubjects(const Fields& statement, const ExpectedSubjects& expected);

}  // namespace assay
