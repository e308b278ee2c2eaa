#include "sign/dsse.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "digest/sha256.h"
#include "json/strict_json.h"
#include "sign/base64.h"
#include "sign/bytes.h"
#include "sign/openssh_key.h"

namespace assay {
namespace {

using nlohmann::json;

// A member that must be a string when present; nullptr when absent.
Result<const std::string*> OptionalString(const json& object, const char* name,
                                          std::string_view where) {
  auto it = object.find(name);
  if (it == object.end()) return static_cast<const std::string*>(nullptr);
  if (!it->is_string()) {
    return Status::InvalidInput(std::string(where) + ": \"" + name + "\" is not a string");
  }
  return it->get_ptr<const std::string*>();
}

Result<std::string> RequiredBase64(const json& object, const char* name, std::string_view where) {
  ASSAY_ASSIGN_OR_RETURN(const std::string* text, OptionalString(object, name, where));
  if (text == nullptr) {
    return Status::InvalidInput(std::string(where) + ": \"" + name + "\" is missing");
  }
  Result<std::string> bytes = DecodeBase64AnyVariant(*text);
  if (!bytes.ok()) {
    return Status::InvalidInput(std::string(where) + ": \"" + name + "\" is not valid base64");
  }
  return bytes;
}

Result<DsseSignature> ParseSignature(const json& entry, size_t index) {
  std::string where = "envelope signature " + std::to_string(index);
  if (!entry.is_object()) return Status::InvalidInput(where + " is not an object");
  DsseSignature signature;
  ASSAY_ASSIGN_OR_RETURN(signature.signature, RequiredBase64(entry, "sig", where));
  ASSAY_ASSIGN_OR_RETURN(const std::string* keyid, OptionalString(entry, "keyid", where));
  if (keyid != nullptr) signature.keyid = *keyid;
  return signature;
}

// The keys a signature is tried with: those its keyid names, or all.
std::vector<size_t> CandidateKeys(const DsseSignature& signature,
                                  std::span<const Ed25519PublicKey> keys) {
  std::vector<size_t> named;
  std::vector<size_t> all;
  for (size_t i = 0; i < keys.size(); ++i) {
    all.push_back(i);
    if (!signature.keyid.empty() && signature.keyid == SshFingerprint(keys[i])) named.push_back(i);
  }
  return named.empty() ? all : named;
}

}  // namespace

std::string DssePreAuthEncoding(std::string_view payload_type, std::string_view payload) {
  std::string pae = "DSSEv1 " + std::to_string(payload_type.size()) + " ";
  pae += payload_type;
  pae += " " + std::to_string(payload.size()) + " ";
  pae += payload;
  return pae;
}

DsseEnvelope SignDsse(std::string_view payload_type, std::string_view payload,
                      const Ed25519SecretKey& key) {
  Ed25519Signature signature = key.Sign(DssePreAuthEncoding(payload_type, payload));
  return DsseEnvelope{
      std::string(payload_type),
      std::string(payload),
      {DsseSignature{SshFingerprint(key.public_key()), std::string(AsText(signature))}}};
}

std::string SerializeDsseEnvelope(const DsseEnvelope& envelope) {
  // nlohmann::json orders members by name, so the output is deterministic.
  json signatures = json::array();
  for (const DsseSignature& signature : envelope.signatures) {
    signatures.push_back({{"keyid", signature.keyid}, {"sig", EncodeBase64(signature.signature)}});
  }
  json object = {{"payload", EncodeBase64(envelope.payload)},
                 {"payloadType", envelope.payload_type},
                 {"signatures", std::move(signatures)}};
  return object.dump();
}

Result<DsseEnvelope> ParseDsseEnvelope(std::string_view text) {
  // The one strict reader: a repeated member name (readers that keep the
  // first and readers that keep the last would see different envelopes) and
  // hostile nesting are refused with the rest.
  Result<json> parsed = ParseStrictJson(text);
  if (!parsed.ok()) return Status::InvalidInput("envelope: " + parsed.status().message());
  json& object = *parsed;
  if (!object.is_object()) return Status::InvalidInput("envelope is not a JSON object");
  DsseEnvelope envelope;
  ASSAY_ASSIGN_OR_RETURN(const std::string* payload_type,
                         OptionalString(object, "payloadType", "envelope"));
  if (payload_type == nullptr) return Status::InvalidInput("envelope: \"payloadType\" is missing");
  envelope.payload_type = *payload_type;
  ASSAY_ASSIGN_OR_RETURN(envelope.payload, RequiredBase64(object, "payload", "envelope"));
  auto signatures = object.find("signatures");
  if (signatures == object.end() || !signatures->is_array()) {
    return Status::InvalidInput("envelope: \"signatures\" is missing or not an array");
  }
  for (size_t i = 0; i < signatures->size(); ++i) {
    ASSAY_ASSIGN_OR_RETURN(DsseSignature signature, ParseSignature((*signatures)[i], i));
    envelope.signatures.push_back(std::move(signature));
  }
  return envelope;
}

Result<VerifiedDsse> VerifyDsse(const DsseEnvelope& envelope,
                                std::string_view expected_payload_type,
                                std::span<const Ed25519PublicKey> keys) {
  if (envelope.signatures.empty()) return Status::CheckFailed("envelope has no signatures");
  std::string pae = DssePreAuthEncoding(envelope.payload_type, envelope.payload);
  VerifiedDsse verified;
  for (size_t i = 0; i < envelope.signatures.size(); ++i) {
    const DsseSignature& signature = envelope.signatures[i];
    // Signatures of other algorithms (other tools' co-signatures) are skipped, not errors.
    if (signature.signature.size() != sizeof(Ed25519Signature)) continue;
    Ed25519Signature bytes{};
    std::memcpy(bytes.data(), signature.signature.data(), bytes.size());
    for (size_t key : CandidateKeys(signature, keys)) {
      if (keys[key].Verify(pae, bytes)) {
        verified.signers_.push_back(DsseSigner{i, key});
        break;
      }
    }
  }
  if (verified.signers_.empty()) {
    return Status::CheckFailed("no signature on the envelope verifies with the " +
                               std::to_string(keys.size()) + " key(s) given");
  }
  // The type is signed, so it is checked only once a signature vouches for it.
  if (envelope.payload_type != expected_payload_type) {
    return Status::InvalidInput("envelope payload type is '" + envelope.payload_type +
                                "', expected '" + std::string(expected_payload_type) + "'");
  }
  verified.payload_type_ = envelope.payload_type;
  verified.payload_ = envelope.payload;
  return verified;
}

}  // namespace assay
