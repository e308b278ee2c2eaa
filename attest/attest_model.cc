#include "attest/attest_model.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/command.h"
#include "cli/paths.h"
#include "cli/record_signing.h"
#include "cli/terminal.h"
#include "model/model_manifest.h"
#include "model/model_statement.h"
#include "sign/dsse.h"
#include "sign/openssh_key.h"

namespace assay::cli {
namespace {

std::unique_ptr<HashCache> OpenCacheOrWarn(const AttestModelOptions& options) {
  if (!options.use_cache) return nullptr;
  std::string dir = options.cache_dir.empty() ? DefaultCacheDir() : options.cache_dir;
  Result<std::unique_ptr<HashCache>> cache = HashCache::Open(dir + "/hash-cache.sqlite3");
  if (!cache.ok()) {
    Warn("hash cache unavailable, hashing every file: " + cache.status().message());
    return nullptr;
  }
  return std::move(*cache);
}

uint64_t FolderBytes(const std::string& folder) {
  // Only sizes the progress meter; the manifest's own walk is the one that counts.
  uint64_t total = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file(error)) total += it->file_size(error);
  }
  return total;
}

void PrintSummary(const ModelManifest& manifest, const ModelIdentity& identity, double seconds) {
  std::printf("model      %s%s\n", identity.name.c_str(),
              identity.revision ? (" @ " + *identity.revision).c_str() : "");
  if (manifest.hub_source) {
    std::printf("source     huggingface cache %s @ %s\n", manifest.hub_source->repo_id.c_str(),
                manifest.hub_source->revision.c_str());
  }
  size_t weight_files = 0;
  for (const FileRecord& file : manifest.files) weight_files += file.format != WeightFormat::kOther;
  std::printf("files      %zu (%zu with itemised tensors)\n", manifest.files.size(), weight_files);
  std::printf("tensors    %llu\n", static_cast<unsigned long long>(manifest.TensorCount()));
  std::printf("bytes      %s (%s read, the rest from the hash cache)\n",
              HumanBytes(manifest.total_bytes).c_str(), HumanBytes(manifest.bytes_read).c_str());
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    std::printf("weights    %s rfc6962-sha256:%s (%llu tensors)\n",
                std::string(WeightFormatName(root.format)).c_str(), ToHex(root.root).c_str(),
                static_cast<unsigned long long>(root.tensor_count));
  }
  if (!manifest.has_tensor_digests) std::printf("weights    no root: tensor digests were turned off\n");
  for (const FileRecord& file : manifest.files) {
    if (file.hidden) std::printf("hidden     %s (included)\n", file.path.c_str());
  }
  for (const FileRecord& file : manifest.files) {
    if (file.format == WeightFormat::kOther && IsOpaqueWeightFile(file.path)) {
      std::printf("opaque     %s: hashed as a file, tensors not itemised\n", file.path.c_str());
    }
  }
  for (const SkippedEntry& skipped : manifest.skipped) {
    std::printf("skipped    %s (%s)\n", skipped.relative_path.c_str(), skipped.reason.c_str());
  }
  double rate = seconds > 0 ? static_cast<double>(manifest.bytes_read) / seconds / 1e9 : 0;
  std::printf("time       %.3f s, %.2f GB/s\n", seconds, rate);
}

}  // namespace

Status RunAttestModel(const AttestModelOptions& options) {
  // The key is unlocked before hashing, so a wrong passphrase fails at once.
  std::optional<MinisignSecretKey> key;
  if (options.sign) {
    ASSAY_ASSIGN_OR_RETURN(key, LoadSigningKey(options.key));
  }
  std::unique_ptr<HashCache> cache = OpenCacheOrWarn(options);
  ProgressMeter progress(FolderBytes(options.folder));
  ManifestOptions manifest_options;
  manifest_options.tensor_digests = options.tensor_digests;
  manifest_options.cache = cache.get();
  manifest_options.progress = &progress;
  manifest_options.threads = options.threads;

  auto start = std::chrono::steady_clock::now();
  Result<ModelManifest> manifest = BuildModelManifest(LocalFileSystem(), options.folder, manifest_options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!manifest.ok()) return manifest.status();

  ModelIdentity identity{options.name, options.revision};
  if (identity.name.empty()) {
    identity.name = manifest->hub_source ? manifest->hub_source->repo_id
                                         : std::filesystem::path(manifest->folder).filename().string();
  }
  if (!identity.revision && manifest->hub_source) identity.revision = manifest->hub_source->revision;
  ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(ModelStatement(*manifest, identity)));
  std::string record = statement;
  if (key) {
    ASSAY_ASSIGN_OR_RETURN(record, SignRecord(statement, *key));
  }
  if (!options.output_path.empty()) {
    ASSAY_RETURN_IF_ERROR(LocalFileSystem().WriteFileAtomically(options.output_path, record + "\n"));
  }
  if (!key) Warn("--unsigned: the statement carries no signature, so nobody can tell who made it");
  if (options.json) {
    std::printf("%s\n", record.c_str());
    // stdout carries the record alone: the acknowledgement would corrupt it.
    if (key && options.append) return AppendToLedger(options.ledger, record, *key, options.trust_path, stderr);
    return Status::Ok();
  }
  PrintSummary(*manifest, identity, seconds);
  std::printf("record     %s\n", RecordId(statement).c_str());
  if (key) {
    std::printf("signed by  key %s %s\n", FormatMinisignKeyId(key->key_id()).c_str(),
                SshFingerprint(key->key().public_key()).c_str());
  } else {
    std::printf("signed by  nobody (--unsigned)\n");
  }
  if (!options.output_path.empty()) std::printf("written to %s\n", options.output_path.c_str());
  if (key && options.append) return AppendToLedger(options.ledger, record, *key, options.trust_path, stdout);
  return Status::Ok();
}

void AddAttestModelCommand(CLI::App& attest, Status& outcome) {
  auto options = std::make_shared<AttestModelOptions>();
  CLI::App* command = attest.add_subcommand("model", "hash a model folder into a model record");
  command->add_option("DIR", options->folder, "the model folder")->required();
  command->add_option("--name", options->name, "model name (default: hub repo id or folder name)");
  command->add_option("--revision", options->revision, "model revision, e.g. a hub commit");
  command->add_option("-o,--output", options->output_path, "write the statement to this file");
  command->add_flag("--json", options->json, "print the statement as JSON instead of a summary");
  command->add_flag("!--no-cache", options->use_cache, "hash every file; do not use the hash cache");
  command->add_option("--cache-dir", options->cache_dir, "hash cache folder (env ASSAY_CACHE_DIR)");
  command->add_flag("!--no-tensors", options->tensor_digests,
                    "skip tensor digests (no weights root): file digests only");
  command->add_option("--threads", options->threads, "hashing threads (default: one per core)");
  command->add_flag("!--unsigned", options->sign, "write the bare statement, unsigned");
  AddKeyOptions(*command, options->key);
  AddLedgerOption(*command, options->ledger);
  command->add_flag("!--no-ledger", options->append, "do not append the record to the ledger");
  command->add_option("--trust", options->trust_path, "trust file naming the ledger commit's author");
  command->callback([options, &outcome] { outcome = RunAttestModel(*options); });
}

}  // namespace assay::cli
