#include "verify/model_source.h"

#include <algorithm>
#include <memory>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/environment.h"
#include "cli/trust_report.h"
#include "record/in_toto.h"
#include "model/config_diff.h"
#include "sign/dsse.h"
#include "sign/minisign_key.h"
#include "record/record_check.h"
#include "record/record_id.h"

namespace assay::cli {
namespace {

using nlohmann::json;

// Records are small (a 70B model's is a few hundred KiB); this bounds a hostile one.
constexpr uint64_t kMaxRecordBytes = 256u << 20;

struct FetchedRecord {
  std::string text;     // an envelope or a bare statement
  std::string display;  // names the record in errors: the file, or "ledger record ID"
  std::string where;
  bool from_ledger = false;
  std::string note;
};

Result<FetchedRecord> FetchFromLedger(const std::string& reference, const LedgerOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(ModelResolution resolution, index->ResolveModel(reference));
  if (resolution.match == ModelResolution::Match::kNone) {
    return Status::InvalidInput(reference + ": no such file or folder, and no model record in the ledger " +
                                ledger->path() + " matches it (a record id, weights root or name[@revision])");
  }
  const ModelEntry& newest = resolution.models.front();
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, index->Envelope(newest.record.id));
  if (!envelope) return Status::IoError(ledger->path() + ": the index lists record " + newest.record.id + " but has no envelope");
  FetchedRecord fetched{*envelope, "ledger record " + newest.record.id, "ledger " + ledger->path(), true, ""};
  if (resolution.models.size() > 1) {
    fetched.note = std::to_string(resolution.models.size()) + " model records match " + reference + "; the newest is used";
  }
  return fetched;
}

Result<FetchedRecord> FetchRecord(const std::string& reference, const LedgerOptions& ledger) {
  Result<FileInfo> info = LocalFileSystem().FollowStatus(reference);
  if (!info.ok()) return FetchFromLedger(reference, ledger);
  if (info->type == FileInfo::Type::kDirectory) {
    return Status::InvalidInput(reference + ": a folder, not a model record (give a record file or a ledger id)");
  }
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(LocalFileSystem(), reference, kMaxRecordBytes));
  return FetchedRecord{std::move(text), reference, "record " + reference, false, ""};
}

std::string Describe(const RecordSigner& signer) {
  if (!signer.entry) return "UNTRUSTED key " + signer.fingerprint + " (allowed by --allow-untrusted)";
  return DescribeSigner(*signer.entry) + " " + signer.fingerprint;
}

// The statement bytes of a signed record, and what its signatures are worth.
Status CheckSignatures(const FetchedRecord& fetched, const RecordTrust& trust, LoadedRecord& loaded,
                       std::string& statement) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust_file, LoadTrustFile(TrustFilePath(trust.trust_path)));
  RecordPolicy policy;
  policy.now_unix_seconds = NowUnixSeconds();
  if (trust.allow_untrusted) {
    if (trust.untrusted_public_key.empty()) {
      return Status::InvalidInput("--allow-untrusted needs --public-key-file PUB: the key to check the signature with");
    }
    ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey key, LoadMinisignPublicKeyFile(LocalFileSystem(), trust.untrusted_public_key));
    policy.allowed_untrusted_keys.push_back(key.key);
  }
  Result<CheckedRecord> verified = RequireCounts(CheckRecord(fetched.text, trust_file, policy));
  if (verified.ok()) {
    statement = verified->payload;
    loaded.id = verified->id;
    loaded.refused = verified->refused;
    for (const RecordSigner& signer : verified->signers) {
      loaded.signed_by.push_back(Describe(signer));
      if (!signer.entry) loaded.untrusted_fingerprints.push_back(signer.fingerprint);
      loaded.signers.push_back({{"fingerprint", signer.fingerprint},
                                {"trusted", signer.entry.has_value()},
                                {"signer", signer.entry ? TrustEntryJson(*signer.entry) : json(nullptr)}});
    }
    return Status::Ok();
  }
  if (!trust.report_only || verified.status().kind() != ErrorKind::kCheckFailed) {
    return verified.status().WithContext(fetched.display);
  }
  // A report compares what the record says and says that no signature counted.
  Result<DsseEnvelope> envelope = ParseDsseEnvelope(fetched.text);
  if (!envelope.ok()) return envelope.status().WithContext(fetched.display);
  statement = envelope->payload;
  loaded.id = RecordId(statement);
  loaded.not_verified = verified.status().message();
  return Status::Ok();
}

}  // namespace

Result<LoadedRecord> LoadModelRecord(const std::string& reference, const LedgerOptions& ledger,
                                     const RecordTrust& trust) {
  ASSAY_ASSIGN_OR_RETURN(FetchedRecord fetched, FetchRecord(reference, ledger));
  LoadedRecord loaded;
  loaded.where = fetched.where;
  loaded.note = fetched.note;
  loaded.signers = json::array();
  std::string statement;
  if (IsBareStatement(fetched.text)) {
    if (!trust.report_only && !trust.allow_unsigned) {
      return Status::CheckFailed(fetched.display +
                                 ": an unsigned statement, not a signed record (pass --allow-unsigned to "
                                 "compare with it anyway)");
    }
    statement = fetched.text;
    while (!statement.empty() && statement.back() == '\n') statement.pop_back();
    loaded.id = RecordId(statement);
    loaded.unsigned_statement = true;
  } else {
    ASSAY_RETURN_IF_ERROR(CheckSignatures(fetched, trust, loaded, statement));
  }
  Result<ModelRecord> record = ParseModelStatement(statement);
  if (!record.ok()) return record.status().WithContext(fetched.display);
  loaded.record = std::move(*record);
  return loaded;
}

std::string_view SideKindName(SideKind kind) {
  switch (kind) {
    case SideKind::kRecord:
      return "record";
    case SideKind::kLedger:
      return "ledger";
    case SideKind::kFolder:
      return "folder";
    case SideKind::kLfsCheckout:
      break;
  }
  return "lfs-checkout";
}

namespace {

// Pointers give each file's digest and nothing inside it: no tensors. The
// config files present for real are read so their keys can be compared.
Status LoadCheckout(const std::string& folder, ModelSide& side) {
  ASSAY_ASSIGN_OR_RETURN(LfsCheckout checkout, ReadLfsCheckout(LocalFileSystem(), folder));
  side.kind = SideKind::kLfsCheckout;
  side.pointers = checkout.PointerCount();
  side.view.manifest = ManifestOfCheckout(checkout);
  side.view.tensors_known = false;
  side.view.configs = ConfigFilesOf(side.view.manifest);
  for (ConfigFile& config : side.view.configs) {
    auto file = std::find_if(checkout.files.begin(), checkout.files.end(),
                             [&config](const CheckoutFile& f) { return f.path == config.path; });
    if (file != checkout.files.end() && !file->pointer) {
      ASSAY_RETURN_IF_ERROR(ReadConfigContent(LocalFileSystem(), folder, config));
    }
  }
  return Status::Ok();
}

Status LoadFolder(const std::string& folder, bool use_cache, ModelSide& side) {
  std::unique_ptr<HashCache> cache;
  if (use_cache) {
    Result<std::unique_ptr<HashCache>> opened = HashCache::Open(DefaultCacheDir() + "/hash-cache.sqlite3", RealTimeClock());
    if (opened.ok()) {
      cache = std::move(*opened);
    } else {
      Warn("hash cache not used: " + opened.status().message());
    }
  }
  ManifestOptions options;
  options.cache = cache.get();
  ASSAY_ASSIGN_OR_RETURN(side.view.manifest, BuildModelManifest(LocalFileSystem(), folder, options));
  ASSAY_ASSIGN_OR_RETURN(side.view.configs, ReadConfigFiles(LocalFileSystem(), folder, side.view.manifest));
  return Status::Ok();
}

}  // namespace

Result<ModelSide> LoadModelSide(const std::string& argument, const LedgerOptions& ledger, const RecordTrust& trust,
                                bool use_cache) {
  ModelSide side;
  side.argument = argument;
  Result<FileInfo> info = LocalFileSystem().FollowStatus(argument);
  if (info.ok() && info->type == FileInfo::Type::kDirectory) {
    side.kind = SideKind::kFolder;
    ASSAY_ASSIGN_OR_RETURN(FolderListing listing, ListModelFolder(LocalFileSystem(), argument));
    ASSAY_ASSIGN_OR_RETURN(bool pointers, HoldsLfsPointers(LocalFileSystem(), listing));
    ASSAY_RETURN_IF_ERROR(pointers ? LoadCheckout(argument, side) : LoadFolder(argument, use_cache, side));
    return side;
  }
  ASSAY_ASSIGN_OR_RETURN(LoadedRecord loaded, LoadModelRecord(argument, ledger, trust));
  side.kind = info.ok() ? SideKind::kRecord : SideKind::kLedger;
  side.view.manifest = loaded.record.manifest;
  side.view.configs = ConfigFilesOf(side.view.manifest);
  side.record = std::move(loaded);
  return side;
}

}  // namespace assay::cli
