// Signing a statement into a record (DESIGN.md, Records): a DSSE envelope
// with one Ed25519 signature by the signer, whose keyid is the key's OpenSSH
// fingerprint, checked to verify before it leaves the process.
#pragma once

#include <string>
#include <string_view>

#include "sign/minisign_secret_key.h"
#include "status.h"

namespace assay {

// The envelope as one line of JSON. kIo when the new signature does not
// verify (faulty memory or library): nothing must be written then.
Result<std::string> SignRecord(std::string_view statement, const MinisignSecretKey& key);

}  // namespace assay
