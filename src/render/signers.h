// How a trusted signer reads, the same in every output (DESIGN.md, Keys and
// trust: "verification says whose signature it checked and with which role").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "record/record_check.h"
#include "sign/trust_file.h"

namespace assay {

// "acme (vendor), key 6478... SHA256:..." or "UNTRUSTED key SHA256:... (allowed by --allow-untrusted)".
std::string DescribeRecordSigner(const RecordSigner& signer);

// The entry as `assay trust list --json` prints it (docs/usage.md): name,
// roles, key_id, public_key, fingerprint, valid_after, valid_before (ISO
// dates or null).
nlohmann::json TrustEntryJson(const TrustEntry& entry);

// "acme (vendor), bob (evaluator)" ("acme, bob" without roles) for the
// signers that count, or "UNTRUSTED signer" when none does.
std::string CountingSigners(const CheckedRecord& record, bool with_roles = true);

// {"fingerprint", "trusted", "signer": TrustEntryJson or null}
nlohmann::json RecordSignerJson(const RecordSigner& signer);

}  // namespace assay
