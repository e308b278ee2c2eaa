#include "ops/model_reference.h"

#include <algorithm>

#include "model/config_diff.h"
#include "model/lfs_checkout.h"
#include "ops/publish.h"
#include "sign/minisign_key.h"

namespace assay {
namespace {

// Records are small (a 70B model's is a few hundred KiB); this bounds a hostile one.
constexpr uint64_t kMaxRecordBytes = 256u << 20;

Status ReadRecord(Context& context, const std::string& bytes, const std::string& display,
                  const ModelReferenceOptions& options, ResolvedModel& resolved) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  RecordPolicy policy = options.policy;
  policy.now_unix_seconds = context.NowUnixSeconds();
  if (options.report_only) policy.allow_unsigned = true;
  Result<CheckedRecord> checked = CheckRecord(bytes, trust, policy);
  if (!checked.ok()) return checked.status().WithContext(display);
  if (!options.report_only && !checked->counts() && checked->standing != RecordStanding::kUnsigned) {
    return Status::CheckFailed(display + ": " + checked->problem);
  }
  Result<ModelRecord> model = ParseModelStatement(checked->payload);
  if (!model.ok()) return model.status().WithContext(display);
  resolved.view.manifest = model->manifest;
  resolved.view.configs = ConfigFilesOf(resolved.view.manifest);
  resolved.model = std::move(*model);
  resolved.record = std::move(*checked);
  return Status::Ok();
}

// Pointers give each file's digest and nothing inside it: no tensors. The
// config files present for real are read so their keys can be compared.
Status ReadCheckout(Context& context, const std::string& folder, ResolvedModel& resolved) {
  ASSAY_ASSIGN_OR_RETURN(LfsCheckout checkout, ReadLfsCheckout(context.fs, folder));
  resolved.kind = ModelReferenceKind::kLfsCheckout;
  resolved.where = "LFS pointer checkout " + folder;
  resolved.pointers = checkout.PointerCount();
  resolved.view.manifest = ManifestOfCheckout(checkout);
  resolved.view.tensors_known = false;
  resolved.view.configs = ConfigFilesOf(resolved.view.manifest);
  for (ConfigFile& config : resolved.view.configs) {
    auto file = std::find_if(checkout.files.begin(), checkout.files.end(),
                             [&config](const CheckoutFile& f) { return f.path == config.path; });
    if (file != checkout.files.end() && !file->pointer) {
      ASSAY_RETURN_IF_ERROR(ReadConfigContent(context.fs, folder, config));
    }
  }
  return Status::Ok();
}

Status HashFolder(Context& context, const std::string& folder, const ModelReferenceOptions& reference,
                  ResolvedModel& resolved) {
  std::unique_ptr<HashCache> cache;
  if (reference.use_cache) {
    Result<std::unique_ptr<HashCache>> opened = HashCache::Open(context.paths.hash_cache(), context.clock);
    if (opened.ok()) {
      cache = std::move(*opened);
    } else {
      context.output.Warn("hash cache not used: " + opened.status().message());
    }
  }
  std::unique_ptr<ProgressSink> progress = context.output.Progress("hashing", 0);
  ManifestOptions options;
  options.cache = cache.get();
  options.progress = progress.get();
  options.threads = reference.threads;
  resolved.kind = ModelReferenceKind::kFolder;
  resolved.where = "folder " + folder;
  ASSAY_ASSIGN_OR_RETURN(resolved.view.manifest, BuildModelManifest(context.fs, folder, options));
  ASSAY_ASSIGN_OR_RETURN(resolved.view.configs, ReadConfigFiles(context.fs, folder, resolved.view.manifest));
  return Status::Ok();
}

// A reference that can only mean a file: absolute or explicitly relative, or
// a record file's name. A missing one is a missing file (kIo), not a name to
// look up in the ledger.
bool LooksLikePath(const std::string& reference) {
  return reference.starts_with("/") || reference.starts_with("./") || reference.starts_with("../") ||
         reference.ends_with(".json") || reference.ends_with(".jsonl");
}

}  // namespace

std::string_view ModelReferenceKindName(ModelReferenceKind kind) {
  switch (kind) {
    case ModelReferenceKind::kRecordFile:
      return "record";
    case ModelReferenceKind::kLedgerRecord:
      return "ledger";
    case ModelReferenceKind::kFolder:
      return "folder";
    case ModelReferenceKind::kLfsCheckout:
      break;
  }
  return "lfs-checkout";
}

Result<ResolvedModel> ResolveModelInLedger(Context& context, Ledger& ledger, const std::string& reference,
                                           const ModelReferenceOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(ModelResolution resolution, ledger.index().ResolveModel(reference));
  if (resolution.match == ModelResolution::Match::kNone) {
    return Status::NotFound("no model record in the ledger " + ledger.path() + " is called '" + reference + "'")
        .WithHint("a model is a record id (8+ hex digits), a weights root, name[@revision], or a path; "
                  "'assay attest model' makes a record");
  }
  ResolvedModel resolved;
  resolved.argument = reference;
  resolved.kind = ModelReferenceKind::kLedgerRecord;
  resolved.where = "ledger record in " + ledger.path();
  if (resolution.models.size() > 1) {
    resolved.note = std::to_string(resolution.models.size()) + " model records match " + reference +
                    "; the newest is used";
  }
  ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger.FindRecord(resolution.models.front().record.id));
  ASSAY_RETURN_IF_ERROR(ReadRecord(context, found.envelope, "ledger record " + found.entry.id, options, resolved));
  return resolved;
}

Result<ModelReferenceOptions> RecordOnlyOptions(Context& context, bool allow_unsigned,
                                                const std::string& untrusted_public_key) {
  ModelReferenceOptions options;
  options.folders = false;
  options.policy.allow_unsigned = allow_unsigned;
  if (!untrusted_public_key.empty()) {
    ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey key, LoadMinisignPublicKeyFile(context.fs, untrusted_public_key));
    options.policy.allowed_untrusted_keys.push_back(key.key);
  }
  return options;
}

void WarnOfUntrustedSigners(Context& context, const CheckedRecord& record) {
  for (const RecordSigner& signer : record.signers) {
    if (!signer.entry) {
      context.output.Warn("UNTRUSTED KEY " + signer.fingerprint + ": counted only because of --allow-untrusted");
    }
  }
}

Result<ResolvedModel> ResolveModelReference(Context& context, const std::string& reference,
                                            const ModelReferenceOptions& options) {
  Result<FileInfo> info = context.fs.FollowStatus(reference);
  if (!info.ok()) {
    if (LooksLikePath(reference)) return info.status();
    Result<std::unique_ptr<Ledger>> opened = OpenLedger(context, /*create=*/false);
    if (!opened.ok() && opened.status().kind() == ErrorKind::kNotFound) {
      // Neither a file nor, with no ledger to look in, a record: say both.
      return Status::NotFound(reference + ": no such file or folder, and " + opened.status().message())
          .WithHint(opened.status().hint());
    }
    ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, std::move(opened));
    Result<ResolvedModel> resolved = ResolveModelInLedger(context, *ledger, reference, options);
    if (!resolved.ok() && resolved.status().kind() == ErrorKind::kNotFound) {
      return Status::NotFound(reference + ": no such file or folder, and no model record in the ledger " +
                              ledger->path() + " matches it")
          .WithHint(resolved.status().hint());
    }
    return resolved;
  }
  ResolvedModel resolved;
  resolved.argument = reference;
  if (info->type == FileInfo::Type::kDirectory) {
    if (!options.folders) {
      return Status::InvalidInput(reference + ": a folder, not a model record (give a record file or a ledger id)");
    }
    ASSAY_ASSIGN_OR_RETURN(FolderListing listing, ListModelFolder(context.fs, reference));
    ASSAY_ASSIGN_OR_RETURN(bool pointers, HoldsLfsPointers(context.fs, listing));
    if (pointers) {
      ASSAY_RETURN_IF_ERROR(ReadCheckout(context, reference, resolved));
    } else {
      ASSAY_RETURN_IF_ERROR(HashFolder(context, reference, options, resolved));
    }
    return resolved;
  }
  ASSAY_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(context.fs, reference, kMaxRecordBytes));
  resolved.kind = ModelReferenceKind::kRecordFile;
  resolved.where = "record " + reference;
  ASSAY_RETURN_IF_ERROR(ReadRecord(context, bytes, reference, options, resolved));
  return resolved;
}

}  // namespace assay
