#include "model/folder_walk.h"

#include <algorithm>
#include <filesystem>

#include "utf8.h"

namespace assay {
namespace {

// Folders that belong to tools, not to the model: skipped and reported.
std::optional<std::string> SkipReason(const std::string& name, const FileInfo& info) {
  if (name == ".git") return "git metadata";  // a folder, or a worktree's .git file
  if (info.type != FileInfo::Type::kDirectory) return std::nullopt;
  if (name == ".cache") return "tool cache (huggingface_hub keeps download metadata here)";
  if (name == "__pycache__") return "python bytecode cache";
  return std::nullopt;
}

bool IsInside(const std::string& path, const std::string& folder) {
  return path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 &&
         path[folder.size()] == '/';
}

bool StartsWithDot(const std::string& relative_path) {
  size_t start = 0;
  while (start < relative_path.size()) {
    if (relative_path[start] == '.') return true;
    size_t slash = relative_path.find('/', start);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return false;
}

class FolderWalker {
 public:
  // `display_folder` is the folder as the user named it, for messages.
  FolderWalker(FileSystem& fs, FolderListing& listing, std::string display_folder)
      : fs_(fs), listing_(listing), display_folder_(std::move(display_folder)) {
    // Links in a snapshot may point anywhere inside models--ORG--NAME (its blobs/).
    links_may_reach_ = listing.hub_source
                           ? std::filesystem::path(listing.root).parent_path().parent_path().string()
                           : listing.root;
  }

  Status Walk(const std::string& relative_folder) {
    std::string folder = Join(listing_.root, relative_folder);
    ASSAY_ASSIGN_OR_RETURN(std::vector<std::string> names, fs_.ListDirectory(folder));
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      if (!IsValidUtf8(name)) {
        // Paths are signed as JSON strings, which must be UTF-8.
        return Status::InvalidInput(Display(relative_folder) + ": holds a file name that is not valid UTF-8");
      }
      std::string relative = relative_folder.empty() ? name : relative_folder + "/" + name;
      ASSAY_RETURN_IF_ERROR(Visit(relative, Join(listing_.root, relative)));
    }
    return Status::Ok();
  }

 private:
  std::string Display(const std::string& relative) const { return Join(display_folder_, relative); }

  static std::string Join(const std::string& root, const std::string& relative) {
    return relative.empty() ? root : root + "/" + relative;
  }

  Status Visit(const std::string& relative, const std::string& path) {
    ASSAY_ASSIGN_OR_RETURN(FileInfo info, fs_.LinkStatus(path));
    std::string name = std::filesystem::path(relative).filename().string();
    if (std::optional<std::string> reason = SkipReason(name, info)) {
      listing_.skipped.push_back({relative, *reason});
      return Status::Ok();
    }
    switch (info.type) {
      case FileInfo::Type::kDirectory:
        return Walk(relative);
      case FileInfo::Type::kRegular:
        listing_.files.push_back({relative, path, info, StartsWithDot(relative), std::nullopt});
        return Status::Ok();
      case FileInfo::Type::kSymlink:
        return VisitSymlink(relative, path);
      case FileInfo::Type::kOther:
        break;
    }
    return Status::InvalidInput(Display(relative) + ": not a regular file, folder or symlink");
  }

  Status VisitSymlink(const std::string& relative, const std::string& path) {
    Result<std::string> target = fs_.CanonicalPath(path);
    if (!target.ok()) {
      return Status::InvalidInput(Display(relative) + ": symlink cannot be resolved (" +
                                  target.status().message() + ")");
    }
    if (!IsInside(*target, links_may_reach_)) {
      return Status::InvalidInput(Display(relative) + ": symlink leaves the model folder (points to " +
                                  *target + ")");
    }
    ASSAY_ASSIGN_OR_RETURN(FileInfo info, fs_.FollowStatus(*target));
    if (info.type != FileInfo::Type::kRegular) {
      return Status::InvalidInput(Display(relative) + ": symlink to something other than a file is not followed");
    }
    std::optional<std::string> blob;
    if (listing_.hub_source) blob = std::filesystem::path(*target).filename().string();
    listing_.files.push_back({relative, *target, info, StartsWithDot(relative), blob});
    return Status::Ok();
  }

  FileSystem& fs_;
  FolderListing& listing_;
  std::string display_folder_;
  std::string links_may_reach_;
};

}  // namespace

std::optional<HubSource> HubSourceOfSnapshot(const std::string& canonical_folder) {
  std::filesystem::path path(canonical_folder);
  std::string revision = path.filename().string();
  std::string snapshots = path.parent_path().filename().string();
  std::string repo_folder = path.parent_path().parent_path().filename().string();
  const std::string prefix = "models--";
  if (snapshots != "snapshots" || revision.empty() || repo_folder.size() <= prefix.size() ||
      repo_folder.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  // huggingface_hub writes "models--" + repo_id with "/" replaced by "--"
  // (repo ids never contain "--" themselves).
  std::string repo_id = repo_folder.substr(prefix.size());
  if (size_t separator = repo_id.find("--"); separator != std::string::npos) {
    repo_id = repo_id.substr(0, separator) + "/" + repo_id.substr(separator + 2);
  }
  return HubSource{repo_id, revision};
}

Result<FolderListing> ListModelFolder(FileSystem& fs, const std::string& folder) {
  FolderListing listing;
  ASSAY_ASSIGN_OR_RETURN(listing.root, fs.CanonicalPath(folder));
  ASSAY_ASSIGN_OR_RETURN(FileInfo info, fs.FollowStatus(listing.root));
  if (info.type != FileInfo::Type::kDirectory) {
    return Status::InvalidInput(folder + ": not a folder");
  }
  listing.hub_source = HubSourceOfSnapshot(listing.root);
  FolderWalker walker(fs, listing, folder);
  ASSAY_RETURN_IF_ERROR(walker.Walk(""));
  // Walk order is sorted per folder; "a/b" vs "a.txt" needs a sort of whole paths.
  std::sort(listing.files.begin(), listing.files.end(),
            [](const ModelFileRef& a, const ModelFileRef& b) { return a.relative_path < b.relative_path; });
  return listing;
}

}  // namespace assay
