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
#include "record/model_statement.h"
#include "sign/dsse.h"
#include "sign/openssh_key.h"
#include "record/record_id.h"

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
  Print("model      %s%s\n", identity.name,
              identity.revision ? (" @ " + *identity.revision) : "");
  if (manifest.hub_source) {
    Print("source     huggingface cache %s @ %s\n", manifest.hub_source->repo_id,
                manifest.hub_source->revision);
  }
  size_t weight_files = 0;
  for (const FileRecord& file : manifest.files) weight_files += file.format != WeightFormat::kOther;
  Print("files      %zu (%zu with itemised tensors)\n", manifest.files.size(), weight_files);
  Print("tensors    %llu\n", static_cast<unsigned long long>(manifest.TensorCount()));
  Print("bytes      %s (%s read, the rest from the hash cache)\n",
              HumanBytes(manifest.total_bytes), HumanBytes(manifest.bytes_read));
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    Print("weights    %s rfc6962-sha256:%s (%llu tensors)\n",
                std::string(WeightFormatName(root.format)), ToHex(root.root),
                static_cast<unsigned long long>(root.tensor_count));
  }
  if (!manifest.has_tensor_digests) Print("weights    no root: tensor digests were turned off\n");
  for (const FileRecord& file : manifest.files) {
    if (file.hidden) Print("hidden     %s (included)\n", file.path);
  }
  for (const FileRecord& file : manifest.files) {
    if (file.format == WeightFormat::kOther && IsOpaqueWeightFile(file.path)) {
      Print("opaque     %s: hashed as a file, tensors not itemised\n", file.path);
    }
  }
  for (const SkippedEntry& skipped : manifest.skipped) {
    Print("skipped    %s (%s)\n", skipped.relative_path, skipped.reason);
  }
  double rate = seconds > 0 ? static_cast<double>(manifest.bytes_read) / seconds / 1e9 : 0;
  Print("time       %.3f s, %.2f GB/s\n", seconds, rate);
}

}  // namespace

Status RunAttestModel(const AttestModelOptions& options) {
  ASSAY_RETURN_IF_ERROR(CheckRecordText("--name", options.name));
  if (options.revision) ASSAY_RETURN_IF_ERROR(CheckRecordText("--revision", *options.revision));
  // The key is unlocked before hashing, so a wrong passphrase fails at once.
  std::optional<MinisignSecretKey> key;
  if (options.sign) {
    ASSAY_ASSIGN_OR_RETURN(key, LoadSigningKey(options.out.key));
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
  if (!key) Warn("--unsigned: the statement carries no signature, so nobody can tell who made it");
  return PublishRecord(options.out, record, key ? &*key : nullptr, options.append, {}, [&] {
    PrintSummary(*manifest, identity, seconds);
    Print("record     %s\n", RecordId(statement));
  });
}

void AddAttestModelCommand(CLI::App& attest, Status& outcome) {
  auto options = std::make_shared<AttestModelOptions>();
  CLI::App* command = attest.add_subcommand("model", "hash a model folder into a model record");
  command->add_option("DIR", options->folder, "the model folder")->required();
  command->add_option("--name", options->name, "model name (default: hub repo id or folder name)");
  command->add_option("--revision", options->revision, "model revision, e.g. a hub commit");
  command->add_option("-o,--output", options->out.output_path, "write the statement to this file");
  command->add_flag("--json", options->out.json, "print the statement as JSON instead of a summary");
  command->add_flag("!--no-cache", options->use_cache, "hash every file; do not use the hash cache");
  command->add_option("--cache-dir", options->cache_dir, "hash cache folder (env ASSAY_CACHE_DIR)");
  command->add_flag("!--no-tensors", options->tensor_digests,
                    "skip tensor digests (no weights root): file digests only");
  command->add_option("--threads", options->threads, "hashing threads (default: one per core)");
  command->add_flag("!--unsigned", options->sign, "write the bare statement, unsigned");
  AddKeyOptions(*command, options->out.key);
  AddLedgerOption(*command, options->out.ledger);
  command->add_flag("!--no-ledger", options->append, "do not append the record to the ledger");
  command->add_option("--trust", options->out.trust_path, "trust file naming the ledger commit's author");
  command->callback([options, &outcome] { outcome = RunAttestModel(*options); });
}

}  // namespace assay::cli
