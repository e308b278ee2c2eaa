#include "cli/private_folder.h"

#include <filesystem>

#include "file_system.h"

namespace assay::cli {

Status CreatePrivateFolderFor(const std::string& file_path) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(file_path).parent_path();
  if (folder.empty()) return Status::Ok();  // the current folder
  std::error_code error;
  if (fs::exists(folder, error)) return Status::Ok();
  ASSAY_RETURN_IF_ERROR(LocalFileSystem().CreateDirectories(folder.string()));
  fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace, error);
  if (error) {
    return Status::IoError(folder.string() + ": cannot restrict the new folder to its owner (" +
                           error.message() + ")");
  }
  return Status::Ok();
}

}  // namespace assay::cli
