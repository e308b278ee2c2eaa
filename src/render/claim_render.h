// Human and JSON renderers of the claim operations' results
// (ops/attest_claim.h, ops/attest_reproduction.h, ops/verify_claim.h). The
// JSON shapes are schema/cli/attest-claim.schema.json,
// attest-reproduction.schema.json and verify-claim.schema.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ops/attest_claim.h"
#include "ops/attest_reproduction.h"
#include "ops/verify_claim.h"

namespace assay {

// The benchmark, harness, metric and transcript-root lines of an eval summary.
std::string RenderEvalSummary(const EvalSummary& eval);
// The model (or endpoint) line, the eval summary and the log-model lines of a claim.
std::string RenderClaimSummary(const Claim& claim);
// "verdict    acc NOT REPRODUCED: claimed ...", and the verdict's reason on a
// line of its own when it has numbers too. `task`: a group's task the
// verdict is on ("verdict    task mmlu_anatomy acc,none ..."), "" for the run's own.
std::string RenderVerdictLine(const MetricVerdict& verdict, const std::string& task = "");

// The claim's id and summary, where its transcript opening went, and the
// publication lines (render/model_render.h).
std::string RenderText(const AttestedClaim& attested);
// The signed record itself, as one line.
std::string RenderJson(const AttestedClaim& attested);

// One claim: as above. Several: a line per claim (its id, benchmark, scores,
// where its opening went), then one summary line.
std::string RenderText(const AttestedClaims& attested);
// Each signed record on a line of its own (JSON Lines).
std::string RenderJson(const AttestedClaims& attested);

std::string RenderText(const AttestedReproduction& attested);
std::string RenderJson(const AttestedReproduction& attested);

// The claim's summary, then one line per check: "ok", "FAIL" or "--" (not
// counted), the check, and what it found.
std::string RenderText(const ClaimVerification& verification);
nlohmann::json RenderJson(const ClaimVerification& verification);

}  // namespace assay
