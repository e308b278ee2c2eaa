// Human and JSON renderers of the key and signing operations' results
// (ops/key_ops.h, ops/signature_ops.h). The JSON shape of `assay key show
// --json` is schema/cli/key-show.schema.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ops/key_ops.h"
#include "ops/signature_ops.h"

namespace assay {

// key id, public key, ssh line, fingerprint, public file and, when there is
// one, the secret file.
std::string RenderText(const KeySummary& summary);
nlohmann::json RenderJson(const KeySummary& summary);

// The summary, the secret file saying how it is stored.
std::string RenderText(const GeneratedKey& generated);

// The exported text as it is, or "written to FILE".
std::string RenderText(const ExportedPublicKey& exported);

// The signature file, the key id and the trusted comment.
std::string RenderText(const SignedFile& signed_file);

}  // namespace assay
