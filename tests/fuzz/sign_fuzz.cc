// Keys, signatures and notes: DSSE envelopes, minisign public and secret key
// files and signatures, OpenSSH public keys, SSHSIG, signed notes, C2SP
// checkpoints and note verifier keys, and the trust file.
#include <nlohmann/json.hpp>  // the readers return and hold JSON values

#include <span>

#include "fuzz_target.h"
#include "sign/checkpoint.h"
#include "sign/dsse.h"
#include "sign/minisign_key.h"
#include "sign/minisign_secret_key.h"
#include "sign/minisign_signature.h"
#include "sign/openssh_key.h"
#include "sign/signed_note.h"
#include "sign/sshsig.h"
#include "sign/trust_file.h"

ASSAY_FUZZ_TARGET(dsse) { (void)assay::ParseDsseEnvelope(input); }

ASSAY_FUZZ_TARGET(minisign_public_key) {
  (void)assay::ParseMinisignPublicKeyFile(input);
  (void)assay::DecodeMinisignPublicKey(input);
}

// A secret key file, decoded with the empty passphrase: its KDF parameters
// come from the file, so they must be bounded before scrypt runs.
ASSAY_FUZZ_TARGET(minisign_secret_key) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(input.data());
  (void)assay::DecodeMinisignSecretKeyFile(assay::SecretBytes::CopyOf(std::span(bytes, input.size())), "");
}

ASSAY_FUZZ_TARGET(minisign_signature) { (void)assay::ParseMinisignSignature(input); }

ASSAY_FUZZ_TARGET(ssh_public_key) {
  (void)assay::ParseSshPublicKeyLine(input);
  (void)assay::ParseSshPublicKeyBlob(input);
}

ASSAY_FUZZ_TARGET(sshsig) { (void)assay::ParseSshsig(input); }

// A note, and its text as a checkpoint, as a cosigned checkpoint is read.
ASSAY_FUZZ_TARGET(signed_note) {
  if (assay::Result<assay::SignedNote> note = assay::ParseSignedNote(input); note.ok()) {
    (void)assay::ParseCheckpoint(note->text);
  }
  (void)assay::ParseCheckpoint(input);
}

ASSAY_FUZZ_TARGET(note_verifier_key) { (void)assay::ParseVerifierKey(input); }

ASSAY_FUZZ_TARGET(trust_file) { (void)assay::TrustFile::Parse(input); }
