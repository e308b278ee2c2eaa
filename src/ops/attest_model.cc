#include "ops/attest_model.h"

#include <filesystem>

#include "printable.h"

namespace assay {

Status CheckRecordText(const char* flag, const std::string& value) {
  if (!HasControlCharacters(value)) return Status::Ok();
  return Status::InvalidInput(std::string(flag) + " '" + Printable(value) +
                              "' holds a control character; a name in a record must be printable text");
}

Result<AttestedModel> AttestModel(Context& context, const AttestModelRequest& request) {
  ASSAY_RETURN_IF_ERROR(CheckRecordText("--name", request.name));
  if (request.revision) ASSAY_RETURN_IF_ERROR(CheckRecordText("--revision", *request.revision));
  // The folder first, then the key: a wrong path never asks for a passphrase.
  ASSAY_ASSIGN_OR_RETURN(FileInfo folder, context.fs.FollowStatus(request.folder));
  if (folder.type != FileInfo::Type::kDirectory) {
    return Status::InvalidInput(request.folder + ": not a folder (attest model hashes a model folder)");
  }
  const MinisignSecretKey* key = nullptr;
  if (request.sign) {
    ASSAY_ASSIGN_OR_RETURN(key, context.keys.Unlock(context.paths.key_file));
  }
  std::unique_ptr<HashCache> cache;
  if (request.use_cache) {
    Result<std::unique_ptr<HashCache>> opened = HashCache::Open(context.paths.hash_cache(), context.clock);
    if (opened.ok()) {
      cache = std::move(*opened);
    } else {
      context.output.Warn("hash cache unavailable, hashing every file: " + opened.status().message());
    }
  }
  AttestedModel attested;
  attested.cache_used = cache != nullptr;
  std::unique_ptr<ProgressSink> progress = context.output.Progress("hashing", 0);
  ManifestOptions options;
  options.tensor_digests = request.tensor_digests;
  options.cache = cache.get();
  options.progress = progress.get();
  options.threads = request.threads;
  const int64_t start = context.clock.NowNanos();
  ASSAY_ASSIGN_OR_RETURN(attested.manifest, BuildModelManifest(context.fs, request.folder, options));
  attested.seconds = static_cast<double>(context.clock.NowNanos() - start) / 1e9;
  progress.reset();

  attested.identity = ModelIdentity{request.name, request.revision};
  const ModelManifest& manifest = attested.manifest;
  if (attested.identity.name.empty()) {
    attested.identity.name = manifest.hub_source ? manifest.hub_source->repo_id
                                                 : std::filesystem::path(manifest.folder).filename().string();
  }
  if (!attested.identity.revision && manifest.hub_source) attested.identity.revision = manifest.hub_source->revision;
  ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(ModelStatement(manifest, attested.identity)));
  if (key == nullptr) context.output.Warn("--unsigned: the statement carries no signature, so nobody can tell who made it");
  ASSAY_ASSIGN_OR_RETURN(attested.published,
                         Publish(context, statement, PublishOptions{key, request.append, request.output_path}));
  return attested;
}

}  // namespace assay
