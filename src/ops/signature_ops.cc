#include "ops/signature_ops.h"

#include <filesystem>
#include <memory>
#include <vector>

#include "ops/key_ring.h"

namespace assay {
namespace {

// Four lines; the trusted comment alone may be 8 KiB (minisign_lines.h).
constexpr uint64_t kMaxSignatureFileSize = 16 * 1024;

// minisign's default trusted comment (minisign.c, sign()), so a signature
// says when it was made and of which file, and that it is prehashed.
std::string DefaultTrustedComment(const Context& context, const std::string& file) {
  return "timestamp:" + std::to_string(context.NowUnixSeconds()) + "\tfile:" +
         std::filesystem::path(file).filename().string() + "\thashed";
}

Result<MinisignSignature> LoadSignatureFile(FileSystem& fs, const std::string& path) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs, path, kMaxSignatureFileSize));
  Result<MinisignSignature> signature = ParseMinisignSignature(text);
  if (!signature.ok()) return signature.status().WithContext(path);
  return signature;
}

// A key that may have made the signature: a trust file entry, or (allowed
// untrusted) a bare public key.
struct CandidateSigner {
  MinisignPublicKey key;
  const TrustEntry* entry = nullptr;
};

// Signatures name their key by its 8-byte minisign key id; two trusted keys
// could share one, so each is tried.
Result<std::vector<CandidateSigner>> CandidateSigners(FileSystem& fs, const VerifySignatureRequest& request,
                                                      const MinisignSignature& signature, const TrustFile& trust,
                                                      const std::string& trust_path) {
  if (!request.public_key_file.empty()) {
    ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey key, LoadMinisignPublicKeyFile(fs, request.public_key_file));
    const TrustEntry* entry = trust.Find(key.key);
    if (entry == nullptr && !request.allow_untrusted) {
      return Status::CheckFailed(request.public_key_file + ": key " + FormatMinisignKeyId(key.key_id) +
                                 " is not in the trust file " + trust_path +
                                 "; to check the signature with it anyway, add --allow-untrusted");
    }
    return std::vector<CandidateSigner>{{key, entry}};
  }
  std::vector<CandidateSigner> signers;
  for (const TrustEntry& entry : trust.entries()) {
    if (entry.key.key_id == signature.key_id) signers.push_back({entry.key, &entry});
  }
  if (signers.empty()) {
    return Status::CheckFailed(request.file + ": signed by key " + FormatMinisignKeyId(signature.key_id) +
                               ", which is not in the trust file " + trust_path +
                               "; to check it anyway: --allow-untrusted --public-key-file PUB");
  }
  return signers;
}

// A good signature counts only while its key is trusted, and in the role asked for.
Status CheckStanding(Context& context, const VerifySignatureRequest& request, const TrustEntry& entry,
                     const std::string& trust_path) {
  std::string problem;
  if (!request.role.empty()) {
    std::optional<TrustRole> role = ParseTrustRole(request.role);
    if (!role) return Status::InvalidInput("unknown role '" + request.role + "' (expected vendor, evaluator, witness, observer or host)");
    if (!entry.HasRole(*role)) problem = "not trusted as " + request.role;
  }
  if (problem.empty()) problem = ValidityProblem(entry, context.NowUnixSeconds());
  if (problem.empty()) return Status::Ok();
  return Status::CheckFailed(request.file + ": the signature by " + DescribeSigner(entry) +
                             " does not count: key " + problem + " (trust file " + trust_path + ")");
}

}  // namespace

Result<SignedFile> SignFile(Context& context, const SignFileRequest& request) {
  FileSystem& fs = context.fs;
  const std::string output = request.output_path.empty() ? request.file + ".minisig" : request.output_path;
  // The file and the output are checked before the key is unlocked, which may take seconds.
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(request.file));
  if (!request.force && fs.LinkStatus(output).ok()) {
    return Status::InvalidInput(output + ": already exists").WithHint("pass --force to replace it");
  }
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  ASSAY_ASSIGN_OR_RETURN(Blake2b512Digest prehash, PrehashFile(*file));
  const std::string key_id = FormatMinisignKeyId(key->key_id());
  ASSAY_ASSIGN_OR_RETURN(
      MinisignSignature signature,
      SignMinisign(*key, prehash, request.trusted_comment.value_or(DefaultTrustedComment(context, request.file)),
                   request.untrusted_comment.empty() ? "signature from assay secret key " + key_id
                                                     : request.untrusted_comment));
  // STYLE.md, habit 6: a signature that does not verify never leaves the process.
  if (!VerifyMinisignPrehashed(key->public_key(), signature, prehash).ok()) {
    return Status::IoError("the new signature does not verify; nothing written (faulty memory or library?)");
  }
  const std::string text = FormatMinisignSignature(signature);
  ASSAY_RETURN_IF_ERROR(request.force ? fs.WriteFileAtomically(output, text, 0644)
                                      : fs.WriteNewFileAtomically(output, text, 0644));
  return SignedFile{output, std::move(signature)};
}

Result<SignatureVerification> VerifySignature(Context& context, const VerifySignatureRequest& request) {
  FileSystem& fs = context.fs;
  const std::string signature_file =
      request.signature_path.empty() ? request.file + ".minisig" : request.signature_path;
  const std::string& trust_file = context.paths.trust_file;
  ASSAY_ASSIGN_OR_RETURN(MinisignSignature signature, LoadSignatureFile(fs, signature_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(request.file));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(fs, trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::vector<CandidateSigner> candidates,
                         CandidateSigners(fs, request, signature, trust, trust_file));
  Status verified;
  const CandidateSigner* signer = nullptr;
  for (const CandidateSigner& candidate : candidates) {
    verified = VerifyMinisignFile(candidate.key, signature, *file);
    if (verified.ok()) {
      signer = &candidate;
      break;
    }
  }
  if (signer == nullptr) return verified.WithContext(request.file);
  SignatureVerification result{request.file, signature_file, trust_file, std::move(signature), signer->key,
                               std::nullopt, request.public_key_file};
  if (signer->entry != nullptr) {
    ASSAY_RETURN_IF_ERROR(CheckStanding(context, request, *signer->entry, trust_file));
    result.signer = *signer->entry;
  } else {
    context.output.Warn("UNTRUSTED KEY: " + FormatMinisignKeyId(signer->key.key_id) + " (" +
                        request.public_key_file + ") is not in the trust file " + trust_file +
                        "; the signature is valid, but nothing says who holds this key");
  }
  return result;
}

}  // namespace assay
