// assay verify lfs DIR --record RECORD|ID: holds a git checkout cloned without
// its LFS content (GIT_LFS_SKIP_SMUDGE=1) against a model record, pointer by
// pointer: each pointer's sha256 oid and size against the record's file table,
// each real file hashed. Answers "did the re-upload change any weight file?"
// without downloading a byte of weights. Exit 1 when a weight, shard index or
// config file changed, is missing or was added; 2 for a garbage pointer.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "verify/model_source.h"

namespace assay::cli {
namespace {

using nlohmann::json;

struct VerifyLfsOptions {
  std::string folder;
  std::string record;
  LedgerOptions ledger;
  RecordTrust trust;
  bool json = false;
};

// The checkout's view, as verify model words it: "removed" from the record means missing.
std::string_view CheckoutWord(LfsFileState state) {
  switch (state) {
    case LfsFileState::kAdded:
      return "extra";
    case LfsFileState::kRemoved:
      return "missing";
    default:
      return LfsFileStateName(state);
  }
}

std::string ShortHex(const std::optional<Sha256Digest>& digest) {
  return digest ? ToHex(*digest).substr(0, 16) + "..." : "?";
}

std::string Bytes(const std::optional<uint64_t>& size) { return size ? std::to_string(*size) : "?"; }

std::string Describe(const LfsFileCheck& file) {
  std::string text = file.path + (file.pointer ? " (pointer)" : "");
  switch (file.state) {
    case LfsFileState::kChanged:
      return text + ": sha256 " + ShortHex(file.record_sha256) + " -> " + ShortHex(file.checkout_sha256) + ", " +
             Bytes(file.record_size) + " -> " + Bytes(file.checkout_size) + " bytes";
    case LfsFileState::kSizeDiffers:
      return text + ": same sha256, " + Bytes(file.record_size) + " -> " + Bytes(file.checkout_size) + " bytes";
    default:
      return text;
  }
}

json Side(const std::optional<Sha256Digest>& digest, const std::optional<uint64_t>& size) {
  if (!digest) return nullptr;
  return {{"sha256", ToHex(*digest)}, {"size", size ? json(*size) : json(nullptr)}};
}

json AuditJson(const LfsAudit& audit) {
  json files = json::array();
  for (const LfsFileCheck& file : audit.files) {
    files.push_back({{"path", file.path},
                     {"state", CheckoutWord(file.state)},
                     {"pointer", file.pointer},
                     {"changesModel", file.changes_model},
                     {"record", Side(file.record_sha256, file.record_size)},
                     {"checkout", Side(file.checkout_sha256, file.checkout_size)}});
  }
  return files;
}

std::string ResultLine(const LfsAudit& audit, size_t pointers) {
  const size_t differing = audit.files.size() - audit.Count(LfsFileState::kSame);
  if (differing == 0) {
    return "every file matches the record (" + std::to_string(pointers) + " pointers, " +
           std::to_string(audit.files.size() - pointers) + " files hashed)";
  }
  if (audit.ModelChanged()) return "DIFFERS: weight or config files are not the ones recorded";
  return "weights and configs match the record; " + std::to_string(differing) +
         " other file(s) differ (documentation, not the model)";
}

Status RunVerifyLfs(const VerifyLfsOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(LoadedRecord loaded, LoadModelRecord(options.record, options.ledger, options.trust));
  ASSAY_ASSIGN_OR_RETURN(LfsCheckout checkout, ReadLfsCheckout(LocalFileSystem(), options.folder));
  LfsAudit audit = AuditLfsCheckout(checkout, loaded.record.manifest);
  const ModelIdentity& identity = loaded.record.identity;
  if (options.json) {
    json out = {{"checkout", options.folder},
                {"pointers", checkout.PointerCount()},
                {"recordId", loaded.id},
                {"model", {{"name", identity.name}, {"revision", identity.revision ? json(*identity.revision) : json(nullptr)}}},
                {"signers", loaded.signers},
                {"matches", !audit.ModelChanged()},
                {"identical", audit.Count(LfsFileState::kSame) == audit.files.size()},
                {"weightsRootChecked", false},
                {"files", AuditJson(audit)}};
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    Print("checkout   %s: %zu files, %zu LFS pointers\n", options.folder, checkout.files.size(),
                checkout.PointerCount());
    Print("record     %s (%s)\n", loaded.id, loaded.where);
    if (!loaded.note.empty()) Print("note       %s\n", loaded.note);
    Print("model      %s%s\n", identity.name, identity.revision ? (" @ " + *identity.revision) : "");
    if (loaded.unsigned_statement) Print("signed by  nobody: an unsigned statement (--allow-unsigned)\n");
    for (const std::string& signer : loaded.signed_by) Print("signed by  %s\n", signer);
    for (const std::string& reason : loaded.refused) Print("not counted: %s\n", reason);
    Print("weights    root not recomputed: pointers give file digests, not tensors; files compared by sha256 and size\n");
    for (const LfsFileCheck& file : audit.files) {
      if (file.state == LfsFileState::kSame) continue;
      Print("file %-12s %s\n", std::string(CheckoutWord(file.state)), Describe(file));
    }
    Print("result     %s\n", ResultLine(audit, checkout.PointerCount()));
  }
  for (const std::string& fingerprint : loaded.untrusted_fingerprints) {
    Warn("UNTRUSTED KEY " + fingerprint + ": counted only because of --allow-untrusted");
  }
  if (audit.ModelChanged()) return Status::CheckFailed(options.folder + ": does not match the record");
  return Status::Ok();
}

}  // namespace

void AddVerifyLfsCommand(CLI::App& verify, Status& outcome) {
  auto options = std::make_shared<VerifyLfsOptions>();
  CLI::App* command = verify.add_subcommand("lfs", "check a git checkout of LFS pointers against a model record");
  command->add_option("DIR", options->folder, "a git checkout cloned with GIT_LFS_SKIP_SMUDGE=1")->required();
  command->add_option("--record", options->record, "the model record: a file, or a ledger id, weights root or name@revision")
      ->required();
  AddLedgerOption(*command, options->ledger);
  command->add_option("--trust", options->trust.trust_path, "trust file (env ASSAY_TRUST_FILE)");
  command->add_flag("--allow-untrusted", options->trust.allow_untrusted, "accept a signer outside the trust file");
  command->add_option("--public-key-file", options->trust.untrusted_public_key, "with --allow-untrusted: the signer's .pub");
  command->add_flag("--allow-unsigned", options->trust.allow_unsigned, "compare with an unsigned statement");
  command->add_flag("--json", options->json, "print the result as JSON");
  command->callback([options, &outcome] { outcome = RunVerifyLfs(*options); });
}

}  // namespace assay::cli
