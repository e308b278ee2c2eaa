// assay sign FILE and assay verify signature FILE: detached minisign
// signatures (docs/spec/signing.md, minisign signatures; docs/usage.md).
// SignFile makes FILE.minisig prehashed as `minisign -S` does, so `minisign
// -V` checks it without assay; VerifySignature checks one (made by assay or
// minisign) against the trust file and says whose key made it, in which
// roles. A key outside the trust file is refused unless the request names its
// public key file and allows untrusted keys; the result then says so.
#pragma once

#include <optional>
#include <string>

#include "ops/context.h"
#include "sign/minisign_key.h"
#include "sign/minisign_signature.h"
#include "sign/trust_file.h"
#include "status.h"

namespace assay {

struct SignFileRequest {
  std::string file;
  std::optional<std::string> trusted_comment;  // none: minisign's default (time, file name, "hashed")
  std::string untrusted_comment;               // empty: names the key
  std::string output_path;                     // empty: FILE.minisig
  bool force = false;                          // replace an existing signature file
};

struct SignedFile {
  std::string signature_file;
  MinisignSignature signature;
};

// Signs with the key at context.paths.key_file. The file and the output are
// checked before the key is unlocked (which may take seconds); the new
// signature is verified before it is written (kIo, nothing written, when it
// does not verify). kInvalidInput for an existing output without `force`.
Result<SignedFile> SignFile(Context& context, const SignFileRequest& request);

struct VerifySignatureRequest {
  std::string file;
  std::string signature_path;   // empty: FILE.minisig
  std::string public_key_file;  // check with this .pub instead of the trust file's keys
  bool allow_untrusted = false;  // accept a public_key_file outside the trust file
  std::string role;              // vendor, evaluator, witness, observer, host; empty: any
};

struct SignatureVerification {
  std::string file;
  std::string signature_file;
  std::string trust_file;
  MinisignSignature signature;
  MinisignPublicKey key;             // the key that made it
  std::optional<TrustEntry> signer;  // its trust file entry; none: untrusted, allowed
  std::string public_key_file;       // as requested
};

// A good signature. kCheckFailed, naming the file, for a signature that does
// not verify, a key outside the trust file (unless allowed), or a trusted
// signer outside its validity dates or without the role; kInvalidInput for a
// malformed signature file or an unknown role. Warns when the key is untrusted.
Result<SignatureVerification> VerifySignature(Context& context, const VerifySignatureRequest& request);

}  // namespace assay
