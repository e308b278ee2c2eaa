// assay status MODEL: the screen users come for (DESIGN.md, Command line).
// For a model: its weights identity (the uploads that share its weights
// root, and the uploads under its name that do not), then every claim about
// those weights with its reproductions, each judged by the record judge
// (ops/signed_claim.h); the standing per claim is claim/claim_status.h's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "claim/claim_status.h"
#include "ops/comparison_ops.h"
#include "ops/context.h"
#include "ops/deployment_ops.h"
#include "ops/model_reference.h"
#include "ops/plan_ops.h"
#include "ops/revocation_ops.h"

namespace assay {

struct StatusRequest {
  std::string model;  // a ledger reference: record id or prefix, weights root, name[@revision]
  std::vector<std::string> checkpoints;  // cosigned checkpoints that may witness plans' registration
};

// A model record in the ledger, as the index knows it.
struct Upload {
  std::string record_id;
  std::string name;
  std::optional<std::string> revision;
  std::string weights_root;  // its first weights root, hex; "" when it has none
};

struct ModelStatus {
  ResolvedModel model;       // the record (judged in the vendor role, counted or not) and its statement
  std::string weights_root;  // the record's first root, hex; "" when it has none
  std::vector<Upload> same_weights;       // records holding that root
  std::vector<Upload> different_weights;  // records under the model's name without it
  std::vector<SignedClaim> claims;        // about these weights (or this record), oldest first
  std::vector<UnclaimedPlan> unclaimed_plans;  // plans of this model no claim names, newest first
  // Endpoints a host said served these weights: deployments naming this
  // record or one of same_weights (ops/deployment_ops.h), oldest first.
  std::vector<JudgedDeployment> deployments;
  // Claims on those endpoints whose run started while a counting one of
  // `deployments` served: the host's word is that these weights answered.
  std::vector<ServedClaim> endpoint_claims;
  // Evaluators' tests of whether an endpoint serves these weights:
  // comparisons naming the same records (ops/comparison_ops.h), oldest first.
  std::vector<JudgedComparison> comparisons;
  // The ledger's revocations (ops/revocation_ops.h): readers mark each
  // record above that a counting one withdraws.
  Withdrawals withdrawals;
};

// Reads the context's ledger (never creating one). A model record whose
// signature does not count is reported, not refused: status is a report.
// kNotFound for a model or ledger that is not there.
Result<ModelStatus> StatusOfModel(Context& context, const StatusRequest& request);

}  // namespace assay
