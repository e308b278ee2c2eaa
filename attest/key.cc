// assay key generate | show | export-public: flags -> GenerateKey, ShowKey,
// ExportPublicKey (src/ops/key_ops.h) -> render/key_render.h.
#include <memory>

#include "cli/command.h"
#include "ops/key_ops.h"
#include "render/key_render.h"

namespace assay::cli {
namespace {

constexpr char kPublicKeyHelp[] = "secret key file, whose .pub is read, or the .pub itself (env ASSAY_KEY)";

void AddGenerate(CLI::App& key, CommandLine& cli) {
  auto request = std::make_shared<GenerateKeyRequest>();
  CLI::App* command = key.add_subcommand("generate", "make a new Ed25519 key pair (minisign format)");
  cli.AddKeyFlags(command);
  command
      ->add_flag("--unencrypted", request->unencrypted,
                 "store the secret key without a passphrase (for throwaway and CI keys)")
      ->excludes("--passphrase-file");
  command->add_flag("--force", request->force, "replace an existing key (the old one is lost)");
  command->add_flag("--weak-kdf-for-tests", request->weak_kdf_for_tests,
                    "encrypt with scrypt's smallest limits: for tests only")
      ->group("");  // hidden from --help; docs/usage.md says what it is for
  cli.OnRun(command, [request](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(GeneratedKey generated, GenerateKey(context, *request));
    Emit(RenderText(generated));
    return Status::Ok();
  });
}

void AddShow(CLI::App& key, CommandLine& cli) {
  auto request = std::make_shared<ShowKeyRequest>();
  CLI::App* command = key.add_subcommand("show", "print the key id, public key and SSH fingerprint");
  command->add_option("--key", request->key, kPublicKeyHelp);
  cli.AddJsonFlag(command, "print one JSON object");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(KeySummary summary, ShowKey(context, *request));
    if (cli.flags.json) {
      EmitJson(RenderJson(summary));
    } else {
      Emit(RenderText(summary));
    }
    return Status::Ok();
  });
}

void AddExportPublic(CLI::App& key, CommandLine& cli) {
  auto request = std::make_shared<ExportPublicKeyRequest>();
  CLI::App* command = key.add_subcommand("export-public", "print the public key for others to trust");
  command->add_option("--key", request->key, kPublicKeyHelp);
  command->add_option("--format", request->format, "minisign (a .pub file), ssh, or allowed-signers")
      ->check(CLI::IsMember({"minisign", "ssh", "allowed-signers"}));
  command->add_option("--name", request->name, "principal (allowed-signers) or comment (ssh)");
  command->add_option("-o,--output", request->output_path, "write to this file instead of stdout");
  command->add_flag("--force", request->force, "replace an existing output file");
  cli.OnRun(command, [request](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(ExportedPublicKey exported, ExportPublicKey(context, *request));
    EmitVerbatim(RenderText(exported));  // the file itself, unless written to one
    return Status::Ok();
  });
}

}  // namespace

void AddKeyCommand(CLI::App& app, CommandLine& cli) {
  CLI::App* key = app.add_subcommand("key", "your signing key: key generate | show | export-public");
  key->require_subcommand(1);
  AddGenerate(*key, cli);
  AddShow(*key, cli);
  AddExportPublic(*key, cli);
}

}  // namespace assay::cli
