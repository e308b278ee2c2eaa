#include "ops/private_folder.h"

#include <filesystem>

namespace assay {

Status CreatePrivateFolderFor(FileSystem& fs, const std::string& file_path) {
  const std::filesystem::path folder = std::filesystem::path(file_path).parent_path();
  if (folder.empty()) return Status::Ok();  // the current folder
  if (fs.FollowStatus(folder.string()).ok()) return Status::Ok();
  if (const std::filesystem::path parent = folder.parent_path(); !parent.empty()) {
    ASSAY_RETURN_IF_ERROR(fs.CreateDirectories(parent.string()));
  }
  return fs.CreateDirectory(folder.string(), 0700);
}

}  // namespace assay
