// assay verify model RECORD [DIR]: checks a model record's signature against
// the trust file and, given the folder, rehashes it and says exactly which
// files and tensors differ from the record. Exit 1 on any difference.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/paths.h"
#include "cli/terminal.h"
#include "cli/trust_report.h"
#include "record/in_toto.h"
#include "model/manifest_diff.h"
#include "record/model_record_reader.h"
#include "sign/minisign_key.h"
#include "record/record_verification.h"
#include "record/record_id.h"

namespace assay::cli {
namespace {

using nlohmann::json;

struct VerifyModelOptions {
  std::string record_path;
  std::string folder;
  std::string trust_path;
  bool allow_untrusted = false;
  std::string untrusted_public_key;  // a minisign .pub file
  bool allow_unsigned = false;
  bool use_cache = false;
  bool json = false;
};

// Records are small (a 70B model's is a few hundred KiB); this bounds a hostile one.
constexpr uint64_t kMaxRecordBytes = 256u << 20;

struct CheckedRecord {
  std::string id;
  std::string statement;
  std::vector<RecordSigner> signers;
  std::vector<std::string> refused;
};

// `trust` must outlive the result: signers point at its entries.
Result<CheckedRecord> ReadAndVerifyRecord(const VerifyModelOptions& options, const TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(LocalFileSystem(), options.record_path, kMaxRecordBytes));
  if (IsBareStatement(text)) {
    if (!options.allow_unsigned) {
      return Status::CheckFailed(options.record_path +
                                 ": an unsigned statement, not a signed record (pass --allow-unsigned to "
                                 "compare a folder with it anyway)");
    }
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return CheckedRecord{RecordId(text), text, {}, {}};
  }
  RecordPolicy policy;
  policy.now_unix_seconds = NowUnixSeconds();
  if (options.allow_untrusted) {
    if (options.untrusted_public_key.empty()) {
      return Status::InvalidInput("--allow-untrusted needs --public-key-file PUB: the key to check the signature with");
    }
    ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey key, LoadMinisignPublicKeyFile(LocalFileSystem(), options.untrusted_public_key));
    policy.allowed_untrusted_keys.push_back(key.key);
  }
  Result<VerifiedRecord> verified = VerifyRecord(text, trust, policy);
  if (!verified.ok()) return verified.status().WithContext(options.record_path);
  return CheckedRecord{verified->id, verified->payload, verified->signers, verified->refused};
}

std::string Describe(const RecordSigner& signer) {
  if (signer.entry == nullptr) return "UNTRUSTED key " + signer.fingerprint + " (allowed by --allow-untrusted)";
  return DescribeSigner(*signer.entry) + " " + signer.fingerprint;
}

std::string Shape(const std::vector<uint64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string DescribeTensor(const TensorDifference& tensor) {
  std::string what;
  if (tensor.change == Change::kChanged) {
    if (tensor.dtype_changed) what += " dtype " + tensor.dtype_before + " -> " + tensor.dtype_after;
    if (tensor.shape_changed) what += " shape " + Shape(tensor.shape_before) + " -> " + Shape(tensor.shape_after);
    if (tensor.bytes_changed) what += " bytes";
  }
  const std::string& file = tensor.file_after.empty() ? tensor.file_before : tensor.file_after;
  return tensor.name + " (" + file + ")" + what;
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

json DiffJson(const ManifestDiff& diff) {
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

void PrintDiff(const ManifestDiff& diff, const std::string& folder) {
  if (diff.empty()) {
    Print("folder     %s matches the record\n", folder);
    return;
  }
  Print("folder     %s DIFFERS from the record:\n", folder);
  for (const FileDifference& file : diff.files) {
    Print("  file %-8s %s\n", std::string(FolderWord(file.change)), file.path);
  }
  for (const TensorDifference& tensor : diff.tensors) {
    Print("  tensor %-6s %s\n", std::string(FolderWord(tensor.change)), DescribeTensor(tensor));
  }
  if (!diff.weights_roots_equal) Print("  weights root differs\n");
  if (diff.SameWeightsResharded()) {
    Print("  same weights, re-sharded: weight files differ, every tensor is equal\n");
  } else if (diff.WeightsUnchanged()) {
    Print("  weights unchanged: every tensor is equal\n");
  }
}

Status RunVerifyModel(const VerifyModelOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.trust_path)));
  ASSAY_ASSIGN_OR_RETURN(CheckedRecord checked, ReadAndVerifyRecord(options, trust));
  Result<ModelRecord> record = ParseModelStatement(checked.statement);
  if (!record.ok()) return record.status().WithContext(options.record_path);

  std::optional<ManifestDiff> diff;
  if (!options.folder.empty()) {
    std::unique_ptr<HashCache> cache;
    if (options.use_cache) {
      Result<std::unique_ptr<HashCache>> opened = HashCache::Open(DefaultCacheDir() + "/hash-cache.sqlite3");
      if (opened.ok()) cache = std::move(*opened);
    }
    ManifestOptions manifest_options;
    manifest_options.cache = cache.get();
    manifest_options.tensor_digests = record->manifest.has_tensor_digests;
    ASSAY_ASSIGN_OR_RETURN(ModelManifest fresh, BuildModelManifest(LocalFileSystem(), options.folder, manifest_options));
    diff = DiffManifests(record->manifest, fresh);
  }

  if (options.json) {
    json signers = json::array();
    for (const RecordSigner& signer : checked.signers) {
      signers.push_back({{"fingerprint", signer.fingerprint},
                         {"trusted", signer.entry != nullptr},
                         {"signer", signer.entry ? TrustEntryJson(*signer.entry) : json(nullptr)}});
    }
    json out = {{"recordId", checked.id}, {"model", record->identity.name}, {"signers", signers}};
    if (diff) out["folder"] = DiffJson(*diff);
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    Print("record     %s\n", checked.id);
    Print("model      %s%s\n", record->identity.name,
                record->identity.revision ? (" @ " + *record->identity.revision) : "");
    if (checked.signers.empty()) Print("signed by  nobody: an unsigned statement (--allow-unsigned)\n");
    for (const RecordSigner& signer : checked.signers) Print("signed by  %s\n", Describe(signer));
    for (const std::string& reason : checked.refused) Print("not counted: %s\n", reason);
    for (const WeightsRootRecord& root : record->manifest.weights_roots) {
      Print("weights    %s rfc6962-sha256:%s (%llu tensors)\n", std::string(WeightFormatName(root.format)),
                  ToHex(root.root), static_cast<unsigned long long>(root.tensor_count));
    }
    if (diff) PrintDiff(*diff, options.folder);
  }
  for (const RecordSigner& signer : checked.signers) {
    if (signer.entry == nullptr) Warn("UNTRUSTED KEY " + signer.fingerprint + ": counted only because of --allow-untrusted");
  }
  if (diff && !diff->empty()) return Status::CheckFailed(options.folder + ": does not match the record");
  return Status::Ok();
}

}  // namespace

void AddVerifyModelCommand(CLI::App& verify, Status& outcome) {
  auto options = std::make_shared<VerifyModelOptions>();
  CLI::App* command = verify.add_subcommand("model", "check a model record's signature, and a folder against it");
  command->add_option("RECORD", options->record_path, "the model record (a DSSE envelope)")->required();
  command->add_option("DIR", options->folder, "a model folder to rehash and compare with the record");
  command->add_option("--trust", options->trust_path, "trust file (env ASSAY_TRUST_FILE)");
  command->add_flag("--allow-untrusted", options->allow_untrusted, "accept a signer outside the trust file");
  command->add_option("--public-key-file", options->untrusted_public_key, "with --allow-untrusted: the signer's .pub");
  command->add_flag("--allow-unsigned", options->allow_unsigned, "compare a folder with an unsigned statement");
  command->add_flag("--use-cache", options->use_cache, "trust the hash cache instead of rehashing every file");
  command->add_flag("--json", options->json, "print the result as JSON");
  command->callback([options, &outcome] { outcome = RunVerifyModel(*options); });
}

}  // namespace assay::cli
