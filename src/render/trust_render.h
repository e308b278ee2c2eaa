// Human and JSON renderers of the trust file operations' results
// (ops/trust_ops.h) and of a checked detached signature
// (ops/signature_ops.h). The JSON shapes are
// schema/cli/trust-list.schema.json and verify-signature.schema.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ops/signature_ops.h"
#include "ops/trust_ops.h"

namespace assay {

// "trusted NAME (ROLES), key ID[, from ... until ...]" and the file.
std::string RenderText(const TrustAdded& added);

// One aligned line per key: name, roles, key id, fingerprint, validity and
// why it is not valid now.
std::string RenderText(const TrustListing& listing);
nlohmann::json RenderJson(const TrustListing& listing);

std::string RenderText(const TrustRemoved& removed);

// The allowed_signers text as it is, or "written to FILE".
std::string RenderText(const TrustExported& exported);

// "good signature by ..." and the trusted comment.
std::string RenderText(const SignatureVerification& verification);
nlohmann::json RenderJson(const SignatureVerification& verification);

}  // namespace assay
