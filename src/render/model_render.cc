#include "render/model_render.h"

#include "model/manifest_diff.h"
#include "render/signers.h"
#include "render/text.h"

namespace assay {
namespace {

using nlohmann::json;

std::string NameAndRevision(const ModelIdentity& identity) {
  return identity.name + (identity.revision ? " @ " + *identity.revision : "");
}

std::string WeightsRootLine(const WeightsRootRecord& root) {
  return Format("weights    %s\nroot       %s\n", WeightsRootKind(root), ToHex(root.root));
}


// Missing and extra are the folder's view: "removed" from the record means missing.
std::string_view FolderWord(Change change) {
  switch (change) {
    case Change::kRemoved:
      return "missing";
    case Change::kAdded:
      return "extra";
    case Change::kChanged:
      break;
  }
  return "changed";
}

}  // namespace

std::string WeightsRootKind(const WeightsRootRecord& root) {
  return Format("%s, %s, rfc6962-sha256 root", std::string(WeightFormatName(root.format)), Plural(root.tensor_count, "tensor"));
}

std::string DescribeTensor(const TensorDifference& tensor) {
  std::string what;
  if (tensor.change == Change::kChanged) {
    if (tensor.dtype_changed) what += " dtype " + tensor.dtype_before + " -> " + tensor.dtype_after;
    if (tensor.shape_changed) what += " shape " + ShapeText(tensor.shape_before) + " -> " + ShapeText(tensor.shape_after);
    if (tensor.bytes_changed) what += " bytes";
  }
  const std::string& file = tensor.file_after.empty() ? tensor.file_before : tensor.file_after;
  return tensor.name + " (" + file + ")" + what;
}

std::string RenderPublication(const PublishedRecord& published) {
  std::string text;
  if (!published.key_id.empty()) {
    text += Format("signed by  key %s %s\n", published.key_id, published.fingerprint);
  } else {
    text += "signed by  nobody (--unsigned)\n";
  }
  for (const std::string& file : published.written) text += Format("written to %s\n", file);
  if (published.appended) {
    text += Format("ledger     %s %s %s (%s)\n", published.appended->record_id,
                   published.appended->already_present ? "already recorded in" : "appended in",
                   published.appended->commit.substr(0, 12), published.ledger);
  }
  return text;
}

// How many of the bytes were read, the rest coming from the hash cache.
std::string BytesReadText(const ModelManifest& manifest) {
  if (manifest.bytes_read >= manifest.total_bytes) return "all read";
  if (manifest.bytes_read == 0) return "none read: every digest from the hash cache";
  return HumanBytes(manifest.bytes_read) + " read, the rest from the hash cache";
}

// ", 1.35 GB/s" of what was read; nothing when too little was read, too fast,
// for a rate to mean anything.
std::string RateText(uint64_t bytes_read, double seconds) {
  constexpr uint64_t kMinBytesForARate = uint64_t{16} << 20;
  if (bytes_read < kMinBytesForARate || !(seconds > 0.01)) return "";
  const double rate = static_cast<double>(bytes_read) / seconds;
  return rate >= 1e9 ? Format(", %.2f GB/s", rate / 1e9) : Format(", %.0f MB/s", rate / 1e6);
}

std::string RenderText(const AttestedModel& attested) {
  const ModelManifest& manifest = attested.manifest;
  std::string text = Format("model      %s\n", NameAndRevision(attested.identity));
  if (manifest.hub_source) {
    text += Format("source     huggingface cache %s @ %s\n", manifest.hub_source->repo_id, manifest.hub_source->revision);
  }
  size_t weight_files = 0;
  for (const FileRecord& file : manifest.files) weight_files += file.format != WeightFormat::kOther;
  text += Format("files      %zu (%zu with itemised tensors)\n", manifest.files.size(), weight_files);
  text += Format("tensors    %llu\n", static_cast<unsigned long long>(manifest.TensorCount()));
  text += Format("bytes      %s (%s)\n", HumanBytes(manifest.total_bytes), BytesReadText(manifest));
  for (const WeightsRootRecord& root : manifest.weights_roots) text += WeightsRootLine(root);
  if (!manifest.has_tensor_digests) text += "weights    no root: tensor digests were turned off\n";
  for (const FileRecord& file : manifest.files) {
    if (file.hidden) text += Format("hidden     %s (included)\n", file.path);
  }
  for (const FileRecord& file : manifest.files) {
    if (file.format == WeightFormat::kOther && IsOpaqueWeightFile(file.path)) {
      text += Format("opaque     %s: hashed as a file, tensors not itemised\n", file.path);
    }
  }
  for (const SkippedEntry& skipped : manifest.skipped) {
    text += Format("skipped    %s (%s)\n", skipped.relative_path, skipped.reason);
  }
  text += Format("time       %.3f s%s\n", attested.seconds, RateText(manifest.bytes_read, attested.seconds));
  text += Format("record     %s\n", attested.published.id);
  return text + RenderPublication(attested.published);
}

std::string RenderJson(const AttestedModel& attested) { return attested.published.record; }

std::string RenderFolderDifferences(const ManifestDiff& diff, const std::string& folder) {
  if (diff.empty()) return Format("folder     %s matches the record\n", folder);
  std::string text = Format("folder     %s DIFFERS from the record:\n", folder);
  for (const FileDifference& file : diff.files) {
    text += Format("  file %-8s %s\n", std::string(FolderWord(file.change)), file.path);
  }
  for (const TensorDifference& tensor : diff.tensors) {
    text += Format("  tensor %-6s %s\n", std::string(FolderWord(tensor.change)), DescribeTensor(tensor));
  }
  if (!diff.weights_roots_equal) text += "  weights root differs\n";
  if (diff.SameWeightsResharded()) {
    text += "  same weights, re-sharded: weight files differ, every tensor is equal\n";
  } else if (diff.WeightsUnchanged()) {
    text += "  weights unchanged: every tensor is equal\n";
  }
  return text;
}

json FolderDifferencesJson(const ManifestDiff& diff) {
  json files = json::array();
  for (const FileDifference& file : diff.files) files.push_back({{"path", file.path}, {"change", FolderWord(file.change)}});
  json tensors = json::array();
  for (const TensorDifference& tensor : diff.tensors) {
    tensors.push_back({{"name", tensor.name},
                       {"format", WeightFormatName(tensor.format)},
                       {"change", FolderWord(tensor.change)},
                       {"dtypeChanged", tensor.dtype_changed},
                       {"shapeChanged", tensor.shape_changed},
                       {"bytesChanged", tensor.bytes_changed}});
  }
  return {{"matches", diff.empty()}, {"weightsRootsEqual", diff.weights_roots_equal}, {"files", files}, {"tensors", tensors}};
}

std::string RenderText(const ModelVerification& verification) {
  const CheckedRecord& record = *verification.record.record;
  const ModelRecord& model = *verification.record.model;
  std::string text = Format("record     %s\n", record.id);
  text += Format("model      %s\n", NameAndRevision(model.identity));
  if (record.signers.empty()) text += "signed by  nobody: an unsigned statement (--allow-unsigned)\n";
  for (const RecordSigner& signer : record.signers) text += Format("signed by  %s\n", DescribeRecordSigner(signer));
  for (const std::string& reason : record.refused) text += Format("not counted: %s\n", reason);
  for (const WeightsRootRecord& root : model.manifest.weights_roots) text += WeightsRootLine(root);
  if (verification.differences) text += RenderFolderDifferences(*verification.differences, verification.folder);
  return text;
}

json RenderJson(const ModelVerification& verification) {
  json signers = json::array();
  for (const RecordSigner& signer : verification.record.record->signers) signers.push_back(RecordSignerJson(signer));
  json out = {{"recordId", verification.record.record->id},
              {"model", verification.record.model->identity.name},
              {"signers", signers}};
  if (verification.differences) out["folder"] = FolderDifferencesJson(*verification.differences);
  return out;
}

}  // namespace assay
