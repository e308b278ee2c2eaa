#include "model/lfs_checkout.h"

#include <algorithm>
#include <map>
#include <memory>

#include "digest/file_hasher.h"
#include "formats/lfs_pointer.h"
#include "model/config_diff.h"

namespace assay {
namespace {

// The first bytes of a file, enough for LooksLikeLfsPointer.
Result<std::string> ReadHead(const RandomAccessFile& file) {
  std::string head(std::min<uint64_t>(file.size(), kLfsPointerProbeBytes), '\0');
  ASSAY_RETURN_IF_ERROR(
      file.ReadExactly(0, std::span<uint8_t>(reinterpret_cast<uint8_t*>(head.data()), head.size())));
  return head;
}

Result<CheckoutFile> ReadPointer(const RandomAccessFile& file, const std::string& relative) {
  if (file.size() > kMaxLfsPointerBytes) {
    return Status::InvalidInput("starts like a git-lfs pointer but is " + std::to_string(file.size()) +
                                " bytes, more than a pointer's " + std::to_string(kMaxLfsPointerBytes));
  }
  std::string text(file.size(), '\0');
  ASSAY_RETURN_IF_ERROR(
      file.ReadExactly(0, std::span<uint8_t>(reinterpret_cast<uint8_t*>(text.data()), text.size())));
  ASSAY_ASSIGN_OR_RETURN(LfsPointer pointer, ParseLfsPointer(text));
  CheckoutFile entry{relative, pointer.ContentDigest(), std::nullopt, true, false};
  if (pointer.SizeIsContentSize()) entry.size = pointer.size;
  return entry;
}

Result<CheckoutFile> ReadCheckoutFile(FileSystem& fs, const FileHasher& hasher, const ModelFileRef& ref) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(ref.read_path));
  ASSAY_ASSIGN_OR_RETURN(std::string head, ReadHead(*file));
  CheckoutFile entry;
  if (LooksLikeLfsPointer(head)) {
    ASSAY_ASSIGN_OR_RETURN(entry, ReadPointer(*file, ref.relative_path));
  } else {
    ASSAY_ASSIGN_OR_RETURN(FileDigests digests, hasher.Hash(*file, {}));
    entry = {ref.relative_path, digests.file, file->size(), false, false};
  }
  entry.hidden = ref.hidden;
  return entry;
}

}  // namespace

size_t LfsCheckout::PointerCount() const {
  return static_cast<size_t>(std::count_if(files.begin(), files.end(), [](const CheckoutFile& f) { return f.pointer; }));
}

Result<bool> HoldsLfsPointers(FileSystem& fs, const FolderListing& listing) {
  for (const ModelFileRef& ref : listing.files) {
    ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(ref.read_path));
    ASSAY_ASSIGN_OR_RETURN(std::string head, ReadHead(*file));
    if (LooksLikeLfsPointer(head)) return true;
  }
  return false;
}

Result<LfsCheckout> ReadLfsCheckout(FileSystem& fs, const std::string& folder) {
  ASSAY_ASSIGN_OR_RETURN(FolderListing listing, ListModelFolder(fs, folder));
  LfsCheckout checkout;
  checkout.folder = folder;
  checkout.skipped = std::move(listing.skipped);
  // Real files in a pointer checkout are small (configs, tokenizers); a few
  // threads overlap reading and hashing for the odd smudged weight file.
  ThreadPool pool(2);
  FileHasher hasher(pool);
  for (const ModelFileRef& ref : listing.files) {
    Result<CheckoutFile> file = ReadCheckoutFile(fs, hasher, ref);
    if (!file.ok()) {
      // Read errors name the path they opened already; a bad pointer does not.
      if (file.status().kind() != ErrorKind::kInvalidInput) return file.status();
      return file.status().WithContext(folder + "/" + ref.relative_path);
    }
    checkout.files.push_back(std::move(*file));
  }
  return checkout;  // ListModelFolder sorted the paths
}

ModelManifest ManifestOfCheckout(const LfsCheckout& checkout) {
  ModelManifest manifest;
  manifest.folder = checkout.folder;
  manifest.skipped = checkout.skipped;
  manifest.has_tensor_digests = false;
  for (const CheckoutFile& file : checkout.files) {
    FileRecord record;
    record.path = file.path;
    record.size = file.size.value_or(0);
    record.sha256 = file.sha256;
    record.format = WeightFormatOfPath(file.path);
    record.hidden = file.hidden;
    manifest.total_bytes += record.size;
    manifest.files.push_back(std::move(record));
  }
  return manifest;
}

bool ChangesTheModel(const std::string& relative_path) {
  return WeightFormatOfPath(relative_path) != WeightFormat::kOther || IsOpaqueWeightFile(relative_path) ||
         relative_path.ends_with(".index.json") || IsConfigFile(relative_path);
}

std::string_view LfsFileStateName(LfsFileState state) {
  switch (state) {
    case LfsFileState::kSame:
      return "same";
    case LfsFileState::kChanged:
      return "changed";
    case LfsFileState::kSizeDiffers:
      return "size differs";
    case LfsFileState::kAdded:
      return "added";
    case LfsFileState::kRemoved:
      break;
  }
  return "removed";
}

size_t LfsAudit::Count(LfsFileState state) const {
  return static_cast<size_t>(std::count_if(files.begin(), files.end(), [state](const LfsFileCheck& f) { return f.state == state; }));
}

bool LfsAudit::ModelChanged() const {
  return std::any_of(files.begin(), files.end(),
                     [](const LfsFileCheck& f) { return f.changes_model && f.state != LfsFileState::kSame; });
}

LfsAudit AuditLfsCheckout(const LfsCheckout& checkout, const ModelManifest& record) {
  std::map<std::string, LfsFileCheck> by_path;
  for (const FileRecord& file : record.files) {
    LfsFileCheck& check = by_path[file.path];
    check.path = file.path;
    check.state = LfsFileState::kRemoved;
    check.record_sha256 = file.sha256;
    check.record_size = file.size;
  }
  for (const CheckoutFile& file : checkout.files) {
    LfsFileCheck& check = by_path[file.path];
    check.path = file.path;
    check.pointer = file.pointer;
    check.checkout_sha256 = file.sha256;
    check.checkout_size = file.size;
    if (!check.record_sha256) {
      check.state = LfsFileState::kAdded;
    } else if (*check.record_sha256 != file.sha256) {
      check.state = LfsFileState::kChanged;
    } else if (file.size && *file.size != check.record_size) {
      check.state = LfsFileState::kSizeDiffers;
    } else {
      check.state = LfsFileState::kSame;
    }
  }
  LfsAudit audit;
  for (auto& [path, check] : by_path) {
    check.changes_model = check.pointer || ChangesTheModel(path);
    audit.files.push_back(std::move(check));
  }
  return audit;
}

}  // namespace assay
