#include "ops/verify_model.h"

namespace assay {

Result<ModelVerification> VerifyModel(Context& context, const VerifyModelRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(ModelReferenceOptions options,
                         RecordOnlyOptions(context, request.allow_unsigned, request.untrusted_public_key));
  ModelVerification verification;
  verification.folder = request.folder;
  ASSAY_ASSIGN_OR_RETURN(verification.record, ResolveModelReference(context, request.record, options));
  WarnOfUntrustedSigners(context, *verification.record.record);
  if (request.folder.empty()) return verification;

  std::unique_ptr<HashCache> cache;
  if (request.use_cache) {
    Result<std::unique_ptr<HashCache>> opened = HashCache::Open(context.paths.hash_cache(), context.clock);
    if (opened.ok()) cache = std::move(*opened);
  }
  const ModelManifest& recorded = verification.record.model->manifest;
  std::unique_ptr<ProgressSink> progress = context.output.Progress("hashing", 0);
  ManifestOptions manifest_options;
  manifest_options.cache = cache.get();
  manifest_options.tensor_digests = recorded.has_tensor_digests;
  manifest_options.progress = progress.get();
  ASSAY_ASSIGN_OR_RETURN(ModelManifest fresh, BuildModelManifest(context.fs, request.folder, manifest_options));
  verification.differences = DiffManifests(recorded, fresh);
  return verification;
}

Status VerdictOf(const ModelVerification& verification) {
  if (!verification.differences || verification.differences->empty()) return Status::Ok();
  return Status::CheckFailed(verification.folder + ": does not match the record");
}

}  // namespace assay
