// Signing a statement into a record (DESIGN.md, Records): a DSSE envelope with
// one Ed25519 signature, checked to verify before it leaves the process.
#pragma once

#include <string>

#include "sign/minisign_secret_key.h"
#include "status.h"

namespace assay::cli {

// The envelope as one line of JSON. kIo when the new signature does not
// verify (faulty memory or library): nothing must be written then.
Result<std::string> SignRecord(const std::string& statement, const MinisignSecretKey& key);

}  // namespace assay::cli
