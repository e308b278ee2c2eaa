// A revocation record (docs/spec/revocation.md): the signer of a record (or
// a key the trust file lists under the same name) withdraws it, saying why,
// and optionally which record supersedes it. Readers show a withdrawn record
// as withdrawn, never drop it: the ledger keeps both.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "status.h"

namespace assay {

// A reason is a sentence or a paragraph, not a document.
inline constexpr size_t kMaxRevocationReasonBytes = 4096;

struct Revocation {
  std::string record;         // the withdrawn record's id, 64 lowercase hex
  std::string record_type;    // its predicateType, for readers who do not have it
  std::string reason;         // non-empty, at most kMaxRevocationReasonBytes, UTF-8
  std::string superseded_by;  // the record that replaces it; "" for none
};

nlohmann::json RevocationStatement(const Revocation& revocation);
// kInvalidInput naming the field; members a later version adds are passed over.
Result<Revocation> ParseRevocationStatement(std::string_view statement_bytes);

}  // namespace assay
