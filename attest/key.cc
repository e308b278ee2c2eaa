// assay key generate | show | export-public: the signer's own Ed25519 key, kept
// in minisign's file formats so minisign reads it (docs/spec/signing.md, Keys;
// docs/usage.md). Where the key lives and how it is unlocked: cli/key_store.h.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "attest/key.h"
#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/private_folder.h"
#include "sign/minisign_key.h"
#include "sign/minisign_secret_key.h"
#include "sign/openssh_key.h"
#include "sign/trust_file.h"

namespace assay::cli {
namespace {

struct ShowOptions {
  std::string key_path;  // the secret key or its .pub; empty: the default
  bool json = false;
};

struct KeyExportOptions {
  std::string key_path;
  std::string format = "minisign";
  std::string name;
  std::string output_path;
  bool force = false;
};

bool PathExists(const std::string& path) { return LocalFileSystem().LinkStatus(path).ok(); }

// `--key` for commands that read only the public half: a .pub is taken as it
// is, anything else names the secret key whose .pub lies beside it.
std::string PublicKeyPathFromFlag(const std::string& flag_value) {
  if (flag_value.ends_with(".pub")) return flag_value;
  return PublicKeyPathFor(SecretKeyPath(KeyOptions{flag_value, ""}));
}

Result<MinisignPublicKey> LoadPublicKey(const std::string& path) {
  if (!PathExists(path)) {
    return Status::IoError(path + ": no public key here; run 'assay key generate' or pass --key FILE");
  }
  return LoadMinisignPublicKeyFile(LocalFileSystem(), path);
}

// The comment assay gives the key's OpenSSH line, so the line says where it came from.
std::string SshComment(const MinisignPublicKey& key) { return "assay:" + FormatMinisignKeyId(key.key_id); }

Status WriteOutput(const std::string& path, std::string_view bytes, uint32_t mode, bool replace) {
  return replace ? LocalFileSystem().WriteFileAtomically(path, bytes, mode)
                 : LocalFileSystem().WriteNewFileAtomically(path, bytes, mode);
}

Status RefuseExisting(const std::string& path) {
  return Status::InvalidInput(path + ": already exists; pass --force to replace it (the old key is lost)");
}

void PrintKeySummary(const MinisignPublicKey& key, const std::string& public_path,
                     const std::string& secret_line) {
  Print("key id       %s\n", FormatMinisignKeyId(key.key_id));
  Print("public key   %s\n", EncodeMinisignPublicKey(key));
  Print("ssh          %s\n", FormatSshPublicKeyLine(key.key, SshComment(key)));
  Print("fingerprint  %s\n", SshFingerprint(key.key));
  Print("public file  %s\n", public_path);
  if (!secret_line.empty()) Print("secret file  %s\n", secret_line);
}

// The secret key file's text, encrypted unless --unencrypted.
Result<SecretBytes> EncodeSecretKeyFile(const MinisignSecretKey& key, const GenerateOptions& options) {
  if (options.unencrypted && options.weak_kdf_for_tests) {
    return Status::InvalidInput("--weak-kdf-for-tests applies to encrypted keys, not with --unencrypted");
  }
  if (options.unencrypted) return EncodeMinisignSecretKeyFile(key, std::nullopt);
  ASSAY_ASSIGN_OR_RETURN(SecretBytes passphrase, ObtainPassphrase(options.key, /*confirm=*/true));
  if (passphrase.size() == 0) {
    return Status::InvalidInput("empty passphrase; pass --unencrypted to store the key in the clear");
  }
  const ScryptLimits limits = options.weak_kdf_for_tests ? kTestScryptLimits : kMinisignScryptLimits;
  return passphrase.Read([&](std::span<const uint8_t> bytes) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return EncodeMinisignSecretKeyFile(key, MinisignKeyEncryption{text, limits});
  });
}


Status RunShow(const ShowOptions& options) {
  const std::string public_path = PublicKeyPathFromFlag(options.key_path);
  ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey key, LoadPublicKey(public_path));
  // The secret key is named only when it sits beside the .pub; it is never read.
  std::string secret_path;
  if (!options.key_path.ends_with(".pub")) {
    secret_path = SecretKeyPath(KeyOptions{options.key_path, ""});
    if (!PathExists(secret_path)) secret_path.clear();
  }
  if (!options.json) {
    PrintKeySummary(key, public_path, secret_path);
    return Status::Ok();
  }
  nlohmann::json summary = {
      {"key_id", FormatMinisignKeyId(key.key_id)},
      {"public_key", EncodeMinisignPublicKey(key)},
      {"ssh_public_key", FormatSshPublicKeyLine(key.key, SshComment(key))},
      {"fingerprint", SshFingerprint(key.key)},
      {"public_key_file", public_path},
      {"secret_key_file", secret_path.empty() ? nlohmann::json(nullptr) : nlohmann::json(secret_path)},
  };
  std::printf("%s\n", summary.dump().c_str());
  return Status::Ok();
}

// The trust file's name grammar keeps a principal free of the spaces, quotes,
// commas and patterns that allowed_signers would misread; check it there.
Status CheckPrincipal(const std::string& name, const MinisignPublicKey& key) {
  TrustFile scratch;
  return scratch.Add(TrustEntry{name, {TrustRole::kVendor}, key, std::nullopt, std::nullopt});
}

Result<std::string> ExportText(const MinisignPublicKey& key, const KeyExportOptions& options) {
  if (options.format == "ssh") {
    return FormatSshPublicKeyLine(key.key, options.name.empty() ? SshComment(key) : options.name) + "\n";
  }
  if (options.format == "allowed-signers") {
    if (options.name.empty()) {
      return Status::InvalidInput("--format allowed-signers needs --name NAME, the signer's principal");
    }
    ASSAY_RETURN_IF_ERROR(CheckPrincipal(options.name, key));
    AllowedSignerOptions signer{AssaySshNamespaces(), std::nullopt, std::nullopt};
    return FormatAllowedSignersLine(options.name, signer, key.key) + "\n";
  }
  if (!options.name.empty()) {
    return Status::InvalidInput("--name applies to --format ssh and --format allowed-signers only");
  }
  return FormatMinisignPublicKeyFile(key);
}

Status RunExportPublic(const KeyExportOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey key, LoadPublicKey(PublicKeyPathFromFlag(options.key_path)));
  ASSAY_ASSIGN_OR_RETURN(std::string text, ExportText(key, options));
  if (options.output_path.empty()) {
    std::fputs(text.c_str(), stdout);
    return Status::Ok();
  }
  if (!options.force && PathExists(options.output_path)) {
    return Status::InvalidInput(options.output_path + ": already exists; pass --force to replace it");
  }
  ASSAY_RETURN_IF_ERROR(WriteOutput(options.output_path, text, 0644, options.force));
  Print("written to %s\n", options.output_path);
  return Status::Ok();
}

void AddGenerate(CLI::App& key, Status& outcome) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* command = key.add_subcommand("generate", "make a new Ed25519 key pair (minisign format)");
  AddKeyOptions(*command, options->key);
  command
      ->add_flag("--unencrypted", options->unencrypted,
                 "store the secret key without a passphrase (for throwaway and CI keys)")
      ->excludes("--passphrase-file");
  command->add_flag("--force", options->force, "replace an existing key (the old one is lost)");
  command->add_flag("--weak-kdf-for-tests", options->weak_kdf_for_tests,
                    "encrypt with scrypt's smallest limits: for tests only")
      ->group("");  // hidden from --help; docs/usage.md says what it is for
  command->callback([options, &outcome] { outcome = RunGenerate(*options); });
}

void AddShow(CLI::App& key, Status& outcome) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* command = key.add_subcommand("show", "print the key id, public key and SSH fingerprint");
  command->add_option("--key", options->key_path,
                      "secret key file, whose .pub is read, or the .pub itself (env ASSAY_KEY)");
  command->add_flag("--json", options->json, "print one JSON object");
  command->callback([options, &outcome] { outcome = RunShow(*options); });
}

void AddExportPublic(CLI::App& key, Status& outcome) {
  auto options = std::make_shared<KeyExportOptions>();
  CLI::App* command = key.add_subcommand("export-public", "print the public key for others to trust");
  command->add_option("--key", options->key_path,
                      "secret key file, whose .pub is read, or the .pub itself (env ASSAY_KEY)");
  command->add_option("--format", options->format, "minisign (a .pub file), ssh, or allowed-signers")
      ->check(CLI::IsMember({"minisign", "ssh", "allowed-signers"}));
  command->add_option("--name", options->name, "principal (allowed-signers) or comment (ssh)");
  command->add_option("-o,--output", options->output_path, "write to this file instead of stdout");
  command->add_flag("--force", options->force, "replace an existing output file");
  command->callback([options, &outcome] { outcome = RunExportPublic(*options); });
}

}  // namespace

Status RunGenerate(const GenerateOptions& options) {
  const std::string secret_path = SecretKeyPath(options.key);
  const std::string public_path = PublicKeyPathFor(secret_path);
  // Checked before the passphrase is asked for; the writes below check again, atomically.
  if (!options.force) {
    if (PathExists(secret_path)) return RefuseExisting(secret_path);
    if (PathExists(public_path)) return RefuseExisting(public_path);
  }
  MinisignSecretKey key = MinisignSecretKey::Generate();
  ASSAY_ASSIGN_OR_RETURN(SecretBytes secret_file, EncodeSecretKeyFile(key, options));
  ASSAY_RETURN_IF_ERROR(CreatePrivateFolderFor(secret_path));
  ASSAY_RETURN_IF_ERROR(CreatePrivateFolderFor(public_path));
  ASSAY_RETURN_IF_ERROR(secret_file.Read([&](std::span<const uint8_t> bytes) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return WriteOutput(secret_path, text, 0600, options.force);
  }));
  Status wrote_public = WriteOutput(public_path, FormatMinisignPublicKeyFile(key.public_key()), 0644,
                                    options.force);
  if (!wrote_public.ok()) {
    // A secret key without its public key is no use to anyone: leave neither.
    (void)std::remove(secret_path.c_str());
    return wrote_public;
  }
  if (options.unencrypted) {
    Warn("the secret key is stored UNENCRYPTED in " + secret_path +
         ": anyone who can read the file can sign as you");
  } else if (options.weak_kdf_for_tests) {
    Warn("the secret key is encrypted with scrypt's smallest limits (--weak-kdf-for-tests): "
         "a passphrase guess costs microseconds; use it for tests only");
  }
  PrintKeySummary(key.public_key(), public_path,
                  secret_path + (options.unencrypted ? " (unencrypted)" : " (encrypted with scrypt)"));
  return Status::Ok();
}


void AddKeyCommand(CLI::App& app, Status& outcome) {
  CLI::App* key = app.add_subcommand("key", "your signing key: key generate | show | export-public");
  key->require_subcommand(1);
  AddGenerate(*key, outcome);
  AddShow(*key, outcome);
  AddExportPublic(*key, outcome);
}

}  // namespace assay::cli
