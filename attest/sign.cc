// assay sign FILE: a detached minisign signature (FILE.minisig), prehashed as
// `minisign -S` makes it, so `minisign -V` checks it without assay
// (docs/spec/signing.md, minisign signatures; docs/usage.md).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "cli/key_store.h"
#include "clock.h"
#include "sign/minisign_signature.h"

namespace assay::cli {
namespace {

struct SignOptions {
  std::string file;
  KeyOptions key;
  std::optional<std::string> trusted_comment;  // none: minisign's default
  std::string untrusted_comment;               // empty: names the key
  std::string output_path;                     // empty: FILE.minisig
  bool force = false;
};

// minisign's default trusted comment (minisign.c, sign()), so a signature
// says when it was made and of which file, and that it is prehashed.
std::string DefaultTrustedComment(const std::string& file) {
  const long long now = static_cast<long long>(RealTimeClock().NowNanos() / 1'000'000'000);
  return "timestamp:" + std::to_string(now) + "\tfile:" +
         std::filesystem::path(file).filename().string() + "\thashed";
}

Status RunSign(const SignOptions& options) {
  const std::string output = options.output_path.empty() ? options.file + ".minisig" : options.output_path;
  FileSystem& fs = LocalFileSystem();
  // The file and the output are checked before the key is unlocked, which may take seconds.
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(options.file));
  if (!options.force && fs.LinkStatus(output).ok()) {
    return Status::InvalidInput(output + ": already exists; pass --force to replace it");
  }
  ASSAY_ASSIGN_OR_RETURN(MinisignSecretKey key, LoadSigningKey(options.key));
  ASSAY_ASSIGN_OR_RETURN(Blake2b512Digest prehash, PrehashFile(*file));
  const std::string key_id = FormatMinisignKeyId(key.key_id());
  ASSAY_ASSIGN_OR_RETURN(
      MinisignSignature signature,
      SignMinisign(key, prehash, options.trusted_comment.value_or(DefaultTrustedComment(options.file)),
                   options.untrusted_comment.empty() ? "signature from assay secret key " + key_id
                                                     : options.untrusted_comment));
  // STYLE.md, habit 6: a signature that does not verify never leaves the process.
  if (!VerifyMinisignPrehashed(key.public_key(), signature, prehash).ok()) {
    return Status::IoError("the new signature does not verify; nothing written (faulty memory or library?)");
  }
  const std::string text = FormatMinisignSignature(signature);
  ASSAY_RETURN_IF_ERROR(options.force ? fs.WriteFileAtomically(output, text, 0644)
                                      : fs.WriteNewFileAtomically(output, text, 0644));
  Print("signature  %s\n", output);
  Print("key id     %s\n", key_id);
  Print("trusted    %s\n", signature.trusted_comment);
  return Status::Ok();
}

}  // namespace

void AddSignCommand(CLI::App& app, Status& outcome) {
  auto options = std::make_shared<SignOptions>();
  CLI::App* command = app.add_subcommand("sign", "sign a file: a detached minisign signature, FILE.minisig");
  command->add_option("FILE", options->file, "the file to sign")->required();
  AddKeyOptions(*command, options->key);
  command->add_option("-t,--trusted-comment", options->trusted_comment,
                      "signed comment (default: timestamp, file name, \"hashed\", as minisign)");
  command->add_option("-c,--untrusted-comment", options->untrusted_comment, "unsigned comment");
  command->add_option("-o,--output", options->output_path, "signature file (default FILE.minisig)");
  command->add_flag("--force", options->force, "replace an existing signature file");
  command->callback([options, &outcome] { outcome = RunSign(*options); });
}

}  // namespace assay::cli
