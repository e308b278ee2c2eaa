// Records: a whole record judged against a trust file (envelope, statement,
// signatures), every predicate reader on statement bytes, and the evidence
// bundles that carry records offline.
#include <nlohmann/json.hpp>  // the readers return and hold JSON values

#include "fuzz_target.h"
#include "record/claim_statement.h"
#include "record/comparison_statement.h"
#include "record/deployment_statement.h"
#include "record/evidence_bundle.h"
#include "record/model_record_reader.h"
#include "record/observation_statement.h"
#include "record/plan_statement.h"
#include "record/record_check.h"
#include "record/reproduction_statement.h"
#include "record/revocation_statement.h"

// The bytes as a record, bare statements allowed: every reader the ledger
// and `verify` apply before they trust a payload.
ASSAY_FUZZ_TARGET(record) {
  const assay::TrustFile trust;
  assay::RecordPolicy policy;
  policy.allow_unsigned = true;
  (void)assay::CheckRecord(input, trust, policy);
}

// Every predicate on the same bytes: a statement of one type is hostile input to the others.
ASSAY_FUZZ_TARGET(statement) {
  (void)assay::ParseModelStatement(input);
  (void)assay::ParseClaimStatement(input);
  (void)assay::ParseReproductionStatement(input);
  (void)assay::ParsePlanStatement(input);
  (void)assay::ParseComparisonStatement(input);
  (void)assay::ParseObservationStatement(input);
  (void)assay::ParseDeploymentStatement(input);
  (void)assay::ParseRevocationStatement(input);
}

ASSAY_FUZZ_TARGET(evidence_bundle) { (void)assay::ParseEvidenceBundle(input); }
