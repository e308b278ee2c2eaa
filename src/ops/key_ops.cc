#include "ops/key_ops.h"

#include "ops/key_ring.h"
#include "ops/private_folder.h"
#include "sign/minisign_secret_key.h"
#include "sign/openssh_key.h"
#include "sign/trust_file.h"

namespace assay {
namespace {

bool KeyPathExists(FileSystem& fs, const std::string& path) { return fs.LinkStatus(path).ok(); }

Status WriteKeyOutput(FileSystem& fs, const std::string& path, std::string_view bytes, uint32_t mode, bool replace) {
  return replace ? fs.WriteFileAtomically(path, bytes, mode) : fs.WriteNewFileAtomically(path, bytes, mode);
}

Status RefuseExistingKey(const std::string& path) {
  return Status::InvalidInput(path + ": already exists").WithHint("pass --force to replace it (the old key is lost)");
}

// The secret key file's text, encrypted unless unencrypted.
Result<SecretBytes> EncodeSecretKey(Context& context, const MinisignSecretKey& key,
                                    const GenerateKeyRequest& request) {
  if (request.unencrypted && request.weak_kdf_for_tests) {
    return Status::InvalidInput("--weak-kdf-for-tests applies to encrypted keys, not with --unencrypted");
  }
  if (request.unencrypted) return EncodeMinisignSecretKeyFile(key, std::nullopt);
  ASSAY_ASSIGN_OR_RETURN(SecretBytes passphrase, context.keys.NewPassphrase());
  if (passphrase.size() == 0) {
    return Status::InvalidInput("empty passphrase").WithHint("pass --unencrypted to store the key in the clear");
  }
  const ScryptLimits limits = request.weak_kdf_for_tests ? kTestScryptLimits : kMinisignScryptLimits;
  return passphrase.Read([&](std::span<const uint8_t> bytes) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return EncodeMinisignSecretKeyFile(key, MinisignKeyEncryption{text, limits});
  });
}

std::string KeyOrDefault(const Context& context, const std::string& key) {
  return key.empty() ? context.paths.key_file : key;
}

// A .pub is taken as it is; anything else names the secret key whose .pub lies beside it.
std::string PublicKeyPathOf(const std::string& key) {
  return key.ends_with(".pub") ? key : PublicKeyPathFor(key);
}

Result<MinisignPublicKey> LoadPublicKeyAt(FileSystem& fs, const std::string& path) {
  if (!KeyPathExists(fs, path)) {
    return Status::IoError(path + ": no public key here").WithHint("run 'assay key generate', or pass --key FILE");
  }
  return LoadMinisignPublicKeyFile(fs, path);
}

// The trust file's name grammar keeps a principal free of the spaces, quotes,
// commas and patterns that allowed_signers would misread; check it there.
Status CheckPrincipal(const std::string& name, const MinisignPublicKey& key) {
  TrustFile scratch;
  return scratch.Add(TrustEntry{name, {TrustRole::kVendor}, key, std::nullopt, std::nullopt});
}

Result<std::string> PublicKeyText(const MinisignPublicKey& key, const ExportPublicKeyRequest& request) {
  if (request.format == "ssh") {
    return FormatSshPublicKeyLine(key.key, request.name.empty() ? SshCommentFor(key) : request.name) + "\n";
  }
  if (request.format == "allowed-signers") {
    if (request.name.empty()) {
      return Status::InvalidInput("--format allowed-signers needs --name NAME, the signer's principal");
    }
    ASSAY_RETURN_IF_ERROR(CheckPrincipal(request.name, key));
    AllowedSignerOptions signer{AssaySshNamespaces(), std::nullopt, std::nullopt};
    return FormatAllowedSignersLine(request.name, signer, key.key) + "\n";
  }
  if (request.format != "minisign") {
    return Status::InvalidInput("--format '" + request.format + "': expected minisign, ssh or allowed-signers");
  }
  if (!request.name.empty()) {
    return Status::InvalidInput("--name applies to --format ssh and --format allowed-signers only");
  }
  return FormatMinisignPublicKeyFile(key);
}

}  // namespace

std::string SshCommentFor(const MinisignPublicKey& key) { return "assay:" + FormatMinisignKeyId(key.key_id); }

Result<GeneratedKey> GenerateKey(Context& context, const GenerateKeyRequest& request) {
  FileSystem& fs = context.fs;
  const std::string secret_path = KeyOrDefault(context, request.key_file);
  const std::string public_path = PublicKeyPathFor(secret_path);
  // Checked before the passphrase is asked for; the writes below check again, atomically.
  if (!request.force) {
    if (KeyPathExists(fs, secret_path)) return RefuseExistingKey(secret_path);
    if (KeyPathExists(fs, public_path)) return RefuseExistingKey(public_path);
  }
  MinisignSecretKey key = MinisignSecretKey::Generate();
  ASSAY_ASSIGN_OR_RETURN(SecretBytes secret_file, EncodeSecretKey(context, key, request));
  ASSAY_RETURN_IF_ERROR(CreatePrivateFolderFor(fs, secret_path));
  ASSAY_RETURN_IF_ERROR(CreatePrivateFolderFor(fs, public_path));
  Status wrote = secret_file.Read([&](std::span<const uint8_t> bytes) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return WriteKeyOutput(fs, secret_path, text, 0600, request.force);
  });
  if (wrote.ok()) wrote = WriteKeyOutput(fs, public_path, FormatMinisignPublicKeyFile(key.public_key()), 0644, request.force);
  if (!wrote.ok()) {
    // Half a pair is no use to anyone: leave neither. A write that failed
    // syncing its folder has placed its file already (tests/faults/io_faults.sh).
    (void)fs.RemoveFile(secret_path);
    (void)fs.RemoveFile(public_path);
    return wrote;
  }
  if (request.unencrypted) {
    context.output.Warn("the secret key is stored UNENCRYPTED in " + secret_path +
                        ": anyone who can read the file can sign as you");
  } else if (request.weak_kdf_for_tests) {
    context.output.Warn(
        "the secret key is encrypted with scrypt's smallest limits (--weak-kdf-for-tests): "
        "a passphrase guess costs microseconds; use it for tests only");
  }
  return GeneratedKey{KeySummary{key.public_key(), public_path, secret_path}, request.unencrypted,
                      request.weak_kdf_for_tests};
}

Result<KeySummary> ShowKey(Context& context, const ShowKeyRequest& request) {
  const std::string key = KeyOrDefault(context, request.key);
  const std::string public_path = PublicKeyPathOf(key);
  ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey public_key, LoadPublicKeyAt(context.fs, public_path));
  KeySummary summary{public_key, public_path, ""};
  // The secret key is named only when it sits beside the .pub; it is never read.
  if (!key.ends_with(".pub") && KeyPathExists(context.fs, key)) summary.secret_key_file = key;
  return summary;
}

Result<ExportedPublicKey> ExportPublicKey(Context& context, const ExportPublicKeyRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey key,
                         LoadPublicKeyAt(context.fs, PublicKeyPathOf(KeyOrDefault(context, request.key))));
  ExportedPublicKey exported;
  ASSAY_ASSIGN_OR_RETURN(exported.text, PublicKeyText(key, request));
  if (request.output_path.empty()) return exported;
  if (!request.force && KeyPathExists(context.fs, request.output_path)) {
    return Status::InvalidInput(request.output_path + ": already exists").WithHint("pass --force to replace it");
  }
  ASSAY_RETURN_IF_ERROR(WriteKeyOutput(context.fs, request.output_path, exported.text, 0644, request.force));
  exported.written_to = request.output_path;
  return exported;
}

}  // namespace assay
