#include "record/record_signing.h"

#include <span>

#include "sign/dsse.h"

namespace assay {

Result<std::string> SignRecord(std::string_view statement, const MinisignSecretKey& key) {
  DsseEnvelope envelope = SignDsse(kInTotoPayloadType, statement, key.key());
  const Ed25519PublicKey public_key = key.key().public_key();
  if (!VerifyDsse(envelope, kInTotoPayloadType, std::span(&public_key, 1)).ok()) {
    return Status::IoError("the new signature does not verify; nothing written (faulty memory or library?)");
  }
  return SerializeDsseEnvelope(envelope);
}

}  // namespace assay
