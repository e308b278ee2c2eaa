// DSSE envelopes (secure-systems-lab/dsse, protocol.md v1.0.0 and envelope.md)
// signed with Ed25519. The signature covers the pre-authentication encoding
//   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
// with LEN the byte count in ASCII decimal. The envelope is the JSON object
//   {"payload": base64(body), "payloadType": type,
//    "signatures": [{"keyid": hint, "sig": base64(signature)}]}
// assay writes standard padded base64 and the key's OpenSSH SHA256
// fingerprint as keyid (what Go's verifiers expect, INTEROP.md); it reads
// either base64 alphabet, padded or not, and treats keyid as a hint only.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sign/ed25519_key.h"
#include "status.h"

namespace assay {

// The payload type of every assay record: an in-toto Statement v1.
inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";

std::string DssePreAuthEncoding(std::string_view payload_type, std::string_view payload);

struct DsseSignature {
  std::string keyid;      // unauthenticated hint; may be empty
  std::string signature;  // raw bytes
};

// An envelope as read or about to be written. Nothing in it is authenticated:
// read the payload only from VerifiedDsse.
struct DsseEnvelope {
  std::string payload_type;
  std::string payload;  // raw bytes
  std::vector<DsseSignature> signatures;
};

// An envelope with one signature by `key`.
DsseEnvelope SignDsse(std::string_view payload_type, std::string_view payload,
                      const Ed25519SecretKey& key);

// One line of JSON, no line end; the same envelope always gives the same bytes.
std::string SerializeDsseEnvelope(const DsseEnvelope& envelope);

// Parses the JSON and decodes the base64 fields. Unknown members are ignored;
// "keyid" may be absent; a repeated member name is refused. kInvalidInput for
// anything else; the caller names the file.
Result<DsseEnvelope> ParseDsseEnvelope(std::string_view json);

// Which of the given keys verified which signature.
struct DsseSigner {
  size_t signature_index;  // in the envelope's signatures
  size_t key_index;        // in the keys given to VerifyDsse
};

// The outcome of a successful verification: the only way to the payload bytes.
class VerifiedDsse {
 public:
  const std::string& payload_type() const { return payload_type_; }
  const std::string& payload() const { return payload_; }
  // At least one; in signature order.
  const std::vector<DsseSigner>& signers() const { return signers_; }

 private:
  friend Result<VerifiedDsse> VerifyDsse(const DsseEnvelope&, std::string_view,
                                         std::span<const Ed25519PublicKey>);
  VerifiedDsse() = default;

  std::string payload_type_;
  std::string payload_;
  std::vector<DsseSigner> signers_;
};

// Verifies every signature (dsse protocol.md, multi-signature verification): a
// signature whose keyid is the fingerprint of some given keys is tried with
// those; one whose keyid is empty or matches none is tried with all of them. A
// signature no key verifies is skipped. kCheckFailed when no signature
// verifies; kInvalidInput when the payload type is not `expected_payload_type`.
Result<VerifiedDsse> VerifyDsse(const DsseEnvelope& envelope,
                                std::string_view expected_payload_type,
                                std::span<const Ed25519PublicKey> keys);

}  // namespace assay
