// assay verify signature FILE: checks a detached minisign signature (made by
// `assay sign` or `minisign -S`) against the trust file, and says whose key
// made it and in which roles (DESIGN.md, Keys and trust; docs/usage.md).
// A key outside the trust file is refused unless the user names its public
// key file and passes --allow-untrusted; the result then says it is untrusted.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/trust_report.h"
#include "sign/minisign_signature.h"
#include "sign/openssh_key.h"

namespace assay::cli {
namespace {

// Four lines; the trusted comment alone may be 8 KiB (minisign_lines.h).
constexpr uint64_t kMaxSignatureFileSize = 16 * 1024;

struct VerifySignatureOptions {
  std::string file;
  std::string signature_path;  // empty: FILE.minisig
  std::string trust_path;
  std::string public_key_file;
  bool allow_untrusted = false;
  std::string role;  // empty: any role
  bool json = false;
};

// Who the signature turned out to be from: a trust file entry, or (with
// --allow-untrusted) a bare public key.
struct Signer {
  MinisignPublicKey key;
  const TrustEntry* entry = nullptr;
};

Result<MinisignSignature> LoadSignature(const std::string& path) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(LocalFileSystem(), path, kMaxSignatureFileSize));
  Result<MinisignSignature> signature = ParseMinisignSignature(text);
  if (!signature.ok()) return signature.status().WithContext(path);
  return signature;
}

// The keys that may have made the signature. Signatures name their key by its
// 8-byte minisign key id; two trusted keys could share one, so each is tried.
Result<std::vector<Signer>> CandidateSigners(const VerifySignatureOptions& options,
                                             const MinisignSignature& signature, const TrustFile& trust,
                                             const std::string& trust_path) {
  if (!options.public_key_file.empty()) {
    ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey key,
                           LoadMinisignPublicKeyFile(LocalFileSystem(), options.public_key_file));
    const TrustEntry* entry = trust.Find(key.key);
    if (entry == nullptr && !options.allow_untrusted) {
      return Status::CheckFailed(options.public_key_file + ": key " + FormatMinisignKeyId(key.key_id) +
                                 " is not in the trust file " + trust_path +
                                 "; to check the signature with it anyway, add --allow-untrusted");
    }
    return std::vector<Signer>{{key, entry}};
  }
  std::vector<Signer> signers;
  for (const TrustEntry& entry : trust.entries()) {
    if (entry.key.key_id == signature.key_id) signers.push_back({entry.key, &entry});
  }
  if (signers.empty()) {
    return Status::CheckFailed(options.file + ": signed by key " + FormatMinisignKeyId(signature.key_id) +
                               ", which is not in the trust file " + trust_path +
                               "; to check it anyway: --allow-untrusted --public-key-file PUB");
  }
  return signers;
}

// A good signature counts only while its key is trusted, and in the role asked for.
Status CheckStanding(const VerifySignatureOptions& options, const TrustEntry& entry,
                     const std::string& trust_path) {
  std::string problem;
  if (!options.role.empty() && !entry.HasRole(*ParseTrustRole(options.role))) {
    problem = "not trusted as " + options.role;
  } else {
    problem = ValidityProblem(entry, NowUnixSeconds());
  }
  if (problem.empty()) return Status::Ok();
  return Status::CheckFailed(options.file + ": the signature by " + DescribeSigner(entry) +
                             " does not count: key " + problem + " (trust file " + trust_path + ")");
}

void PrintResult(const VerifySignatureOptions& options, const std::string& signature_path,
                 const MinisignSignature& signature, const Signer& signer) {
  const std::string key_id = FormatMinisignKeyId(signer.key.key_id);
  if (options.json) {
    nlohmann::json roles = nlohmann::json::array();
    if (signer.entry != nullptr) {
      for (TrustRole role : signer.entry->roles) roles.push_back(std::string(TrustRoleName(role)));
    }
    nlohmann::json result = {
        {"file", options.file},
        {"signature_file", signature_path},
        {"trusted", signer.entry != nullptr},
        {"signer", signer.entry != nullptr ? nlohmann::json(signer.entry->name) : nlohmann::json(nullptr)},
        {"roles", roles},
        {"key_id", key_id},
        {"fingerprint", SshFingerprint(signer.key.key)},
        {"trusted_comment", signature.trusted_comment},
    };
    std::printf("%s\n", result.dump().c_str());
    return;
  }
  if (signer.entry != nullptr) {
    Print("good signature by %s\n", DescribeSigner(*signer.entry));
  } else {
    Print("good signature by UNTRUSTED key %s (%s)\n", key_id, options.public_key_file);
  }
  Print("trusted comment: %s\n", signature.trusted_comment);
}

Status RunVerifySignature(const VerifySignatureOptions& options) {
  const std::string signature_path =
      options.signature_path.empty() ? options.file + ".minisig" : options.signature_path;
  const std::string trust_path = TrustFilePath(options.trust_path);
  ASSAY_ASSIGN_OR_RETURN(MinisignSignature signature, LoadSignature(signature_path));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, LocalFileSystem().OpenForRead(options.file));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(trust_path));
  ASSAY_ASSIGN_OR_RETURN(std::vector<Signer> candidates,
                         CandidateSigners(options, signature, trust, trust_path));

  Status verified;
  const Signer* signer = nullptr;
  for (const Signer& candidate : candidates) {
    verified = VerifyMinisignFile(candidate.key, signature, *file);
    if (verified.ok()) {
      signer = &candidate;
      break;
    }
  }
  if (signer == nullptr) return verified.WithContext(options.file);
  if (signer->entry != nullptr) {
    ASSAY_RETURN_IF_ERROR(CheckStanding(options, *signer->entry, trust_path));
  } else {
    Warn("UNTRUSTED KEY: " + FormatMinisignKeyId(signer->key.key_id) + " (" + options.public_key_file +
         ") is not in the trust file " + trust_path +
         "; the signature is valid, but nothing says who holds this key");
  }
  PrintResult(options, signature_path, signature, *signer);
  return Status::Ok();
}

}  // namespace

void AddVerifySignatureCommand(CLI::App& verify, Status& outcome) {
  auto options = std::make_shared<VerifySignatureOptions>();
  CLI::App* command =
      verify.add_subcommand("signature", "check a detached minisign signature against the trust file");
  command->add_option("FILE", options->file, "the signed file")->required();
  command->add_option("--sig", options->signature_path, "the signature (default FILE.minisig)");
  command->add_option("--trust", options->trust_path,
                      "trust file (env ASSAY_TRUST_FILE; default CONFIG/trust)");
  CLI::Option* public_key = command->add_option("--public-key-file", options->public_key_file,
                                                "check with this minisign .pub instead of the trust file");
  command->add_flag("--allow-untrusted", options->allow_untrusted,
                    "accept a key that is not in the trust file (needs --public-key-file)")
      ->needs(public_key);
  command->add_option("--role", options->role, "require the signer to hold this role")
      ->check(CLI::IsMember({"vendor", "evaluator", "witness"}));
  command->add_flag("--json", options->json, "print one JSON object");
  command->callback([options, &outcome] { outcome = RunVerifySignature(*options); });
}

}  // namespace assay::cli
