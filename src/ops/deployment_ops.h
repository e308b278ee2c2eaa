// Deployments (docs/spec/deployment.md): `assay attest deployment` signs, as
// a host, that an endpoint served a model record's weights over a period;
// readers (history, status, verify claim) list them, each judged: it counts only in
// the role host, signed by the host the endpoint's PROVIDER names.
#pragma once

#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ops/context.h"
#include "ops/model_reference.h"
#include "ops/publish.h"
#include "ops/signed_claim.h"
#include "record/deployment_statement.h"
#include "sign/trust_file.h"

namespace assay {

struct AttestDeploymentRequest {
  std::string endpoint;  // PROVIDER/MODEL
  std::string model;     // a model record: id or prefix, weights root, or NAME@REVISION
  std::string from;      // RFC 3339; "" for now
  std::string until;     // RFC 3339; "" for open-ended
  std::string output_path;
};

struct AttestedDeployment {
  Deployment deployment;
  PublishedRecord published;
};

// A model record found in the ledger, as a deployment or a comparison names it.
ModelRecordRef ModelRecordRefOf(const ResolvedModel& resolved);
// The model record `reference` names in the ledger (kNotFound for none).
Result<ResolvedModel> FindModelRecord(Context& context, Ledger& ledger, const std::string& reference);

// Checks the flags and finds the model record before the key is unlocked
// (kInvalidInput naming the flag; kNotFound for no such record); warns when
// the signer is not the endpoint's host in the trust file (it will not count).
Result<AttestedDeployment> AttestDeployment(Context& context, const AttestDeploymentRequest& request);

struct JudgedDeployment {
  std::string record;
  Deployment deployment;
  std::string host;     // the signer's trust-file name, or "UNTRUSTED signer"
  std::string problem;  // why it does not count; "" when it does
  // When its serving ended: its own `until`, or the from of the host's next
  // deployment of the same endpoint, whichever is first; "" when open.
  std::string ended;
  uint64_t position = 0;  // its place in the ledger
};

// Every deployment of the ledger, judged, oldest first, each with when it
// ended: read once by a command, then picked from.
Result<std::vector<JudgedDeployment>> JudgeDeployments(Context& context, Ledger& ledger, const TrustFile& trust);
// Those of `deployments` that name `model_record`; those of `endpoint`.
std::vector<JudgedDeployment> NamingModelRecord(const std::vector<JudgedDeployment>& deployments,
                                                const std::string& model_record);
std::vector<JudgedDeployment> OfEndpoint(const std::vector<JudgedDeployment>& deployments, const Endpoint& endpoint);
// Of `deployments`, the counting one that served at `when` (Unix seconds);
// null when no host declared one.
const JudgedDeployment* ServingAt(const std::vector<JudgedDeployment>& deployments, int64_t when);

// An endpoint claim whose run started while a counting deployment served:
// the host's word on which weights answered it.
struct ServedClaim {
  SignedClaim claim;
  JudgedDeployment served;
};

// The ledger's claims on the endpoints of `deployments` whose run started
// while one of `deployments` served (ServingAt over all of `all`, so a later
// deployment of the endpoint ends an earlier one), oldest first. A claim whose
// log gives no start is nobody's.
Result<std::vector<ServedClaim>> ClaimsServedBy(Context& context, Ledger& ledger, const TrustFile& trust,
                                                const std::vector<JudgedDeployment>& all,
                                                const std::vector<JudgedDeployment>& deployments);

}  // namespace assay
