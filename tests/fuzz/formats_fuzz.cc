// The weight formats and the files beside them: safetensors headers and
// index files, GGUF, Git LFS pointers, and a model folder hashed whole.
#include <nlohmann/json.hpp>  // the readers return and hold JSON values

#include "formats/gguf.h"
#include "formats/lfs_pointer.h"
#include "formats/safetensors.h"
#include "formats/safetensors_index.h"
#include "fuzz_input.h"
#include "fuzz_target.h"
#include "model/model_manifest.h"

ASSAY_FUZZ_TARGET(safetensors) {
  (void)assay::ReadSafetensorsHeader(*assay::fuzz::FileOf("/m/model.safetensors", input));
}

ASSAY_FUZZ_TARGET(safetensors_index) { (void)assay::ParseSafetensorsIndex(input, "model.safetensors.index.json"); }

ASSAY_FUZZ_TARGET(gguf) { (void)assay::ReadGguf(*assay::fuzz::FileOf("/m/model.gguf", input)); }

ASSAY_FUZZ_TARGET(lfs_pointer) { (void)assay::ParseLfsPointer(input); }

// The whole walk over a folder: the header's offsets against the file's
// bytes, each tensor hashed, the root built (one thread: deterministic).
ASSAY_FUZZ_TARGET(model_folder) {
  const bool gguf = input.starts_with("GGUF");
  auto fs = assay::fuzz::FileSystemWith(gguf ? "/m/model.gguf" : "/m/model.safetensors", input);
  (void)assay::BuildModelManifest(*fs, "/m", assay::ManifestOptions{.threads = 1});
}
