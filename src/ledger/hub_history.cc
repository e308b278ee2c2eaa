#include "ledger/hub_history.h"

#include <algorithm>
#include <map>

#include "digest/sha256.h"
#include "formats/lfs_pointer.h"
#include "ledger/git_handle.h"
#include "utf8.h"

namespace assay {
namespace {

using GitObject = GitPtr<git_object, git_object_free>;
using GitOdb = GitPtr<git_odb, git_odb_free>;

// Valid UTF-8 kept, each byte of anything else as U+FFFD: an author's name
// or a message is shown, not matched, and must not stop the observation.
std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8At(text, i, code_point);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

// What a blob says about its file: an LFS pointer's oid and size, or its own
// digest and size. Blobs are read once whatever number of revisions hold them.
class BlobReader {
 public:
  BlobReader(git_repository* repository, git_odb* odb) : repository_(repository), odb_(odb) {}

  Result<ObservedFile> Describe(const git_oid& id, const std::string& path, const std::string& commit) {
    const bool keep_text = KeepsConfigText(path);
    const std::string key = OidHex(id) + (keep_text ? " text" : "");
    auto cached = cache_.find(key);
    if (cached == cache_.end()) {
      ASSAY_ASSIGN_OR_RETURN(ObservedFile described, Read(id, path, commit, keep_text));
      cached = cache_.emplace(key, std::move(described)).first;
    }
    ObservedFile file = cached->second;
    file.path = path;
    return file;
  }

 private:
  Result<ObservedFile> Read(const git_oid& id, const std::string& path, const std::string& commit, bool keep_text) {
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    ASSAY_RETURN_IF_ERROR(GitStatus(git_odb_read_header(&size, &type, odb_, &id), "revision " + commit + ": " + path));
    if (size > kMaxObservedBlobBytes) {
      return Status::InvalidInput("revision " + commit + ": " + path + " is " + std::to_string(size) +
                                  " bytes in git itself, more than assay reads (256 MiB); a model repository keeps "
                                  "large files in LFS");
    }
    git_blob* raw = nullptr;
    ASSAY_RETURN_IF_ERROR(GitStatus(git_blob_lookup(&raw, repository_, &id), "revision " + commit + ": " + path));
    const GitBlob blob(raw);
    const std::string_view content(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                   static_cast<size_t>(git_blob_rawsize(blob.get())));
    ObservedFile file;
    if (content.size() <= kMaxLfsPointerBytes) {
      if (Result<LfsPointer> pointer = ParseLfsPointer(content); pointer.ok()) {
        file.lfs_oid = ToHex(pointer->oid);
        file.size = pointer->size;
        return file;
      }
    }
    file.sha256 = ToHex(Sha256::Of(content));
    file.size = content.size();
    if (keep_text && content.size() <= kMaxObservedConfigTextBytes && IsValidUtf8(content)) file.text = std::string(content);
    return file;
  }

  git_repository* repository_;
  git_odb* odb_;
  std::map<std::string, ObservedFile> cache_;  // by blob id, and whether its text is kept
};

struct TreeWalk {
  BlobReader& blobs;
  const std::string& commit;
  std::vector<ObservedFile> files;
  Status status = Status::Ok();
};

int VisitTreeEntry(const char* root, const git_tree_entry* entry, void* payload) {
  auto& walk = *static_cast<TreeWalk*>(payload);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;  // folders are walked into; submodules are not files
  const std::string path = std::string(root) + git_tree_entry_name(entry);
  if (!IsValidUtf8(path)) {
    walk.status = Status::InvalidInput("revision " + walk.commit + ": a file path is not UTF-8 ('" + ValidUtf8(path) + "')");
    return -1;
  }
  if (walk.files.size() == kMaxObservedFiles) {
    walk.status = Status::InvalidInput("revision " + walk.commit + ": more than " + std::to_string(kMaxObservedFiles) +
                                       " files");
    return -1;
  }
  Result<ObservedFile> file = walk.blobs.Describe(*git_tree_entry_id(entry), path, walk.commit);
  if (!file.ok()) {
    walk.status = file.status();
    return -1;
  }
  walk.files.push_back(std::move(*file));
  return 0;
}

Result<HubRevision> ReadRevision(git_commit* commit, BlobReader& blobs) {
  HubRevision revision;
  revision.commit = OidHex(*git_commit_id(commit));
  for (unsigned i = 0; i < git_commit_parentcount(commit); ++i) {
    revision.parents.push_back(OidHex(*git_commit_parent_id(commit, i)));
  }
  revision.time = static_cast<int64_t>(git_commit_time(commit));
  const git_signature* author = git_commit_author(commit);
  revision.author = ValidUtf8(std::string(author->name) + " <" + author->email + ">");
  std::string_view message = git_commit_message(commit) == nullptr ? "" : git_commit_message(commit);
  if (message.size() > kMaxObservedMessageBytes) {
    message = message.substr(0, kMaxObservedMessageBytes);
    revision.message_truncated = true;
  }
  revision.message = ValidUtf8(message);
  ASSAY_ASSIGN_OR_RETURN(GitTree tree, TreeOfCommit(commit));
  TreeWalk walk{blobs, revision.commit, {}, Status::Ok()};
  const int walked = git_tree_walk(tree.get(), GIT_TREEWALK_PRE, VisitTreeEntry, &walk);
  ASSAY_RETURN_IF_ERROR(walk.status);
  ASSAY_RETURN_IF_ERROR(GitStatus(walked, "revision " + revision.commit));
  std::sort(walk.files.begin(), walk.files.end(),
            [](const ObservedFile& a, const ObservedFile& b) { return a.path < b.path; });
  revision.files = std::move(walk.files);
  return revision;
}

}  // namespace

std::string HubSourceOfUrl(const std::string& url) {
  std::string_view rest = url;
  bool hub = false;
  for (std::string_view prefix : {"https://huggingface.co/", "https://hf.co/", "http://huggingface.co/"}) {
    if (rest.starts_with(prefix)) {
      rest.remove_prefix(prefix.size());
      hub = true;
      break;
    }
  }
  if (!hub) return url;
  while (rest.ends_with("/")) rest.remove_suffix(1);
  if (rest.ends_with(".git")) rest.remove_suffix(4);
  // A model repository is ORG/NAME; datasets and spaces have a prefix and are not models.
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || rest.find('/', slash + 1) != std::string_view::npos ||
      slash + 1 == rest.size() || rest.starts_with("datasets/") || rest.starts_with("spaces/")) {
    return url;
  }
  return "hf:" + std::string(rest);
}

Result<HubHistory> ReadHubHistory(const std::string& folder, const std::string& rev, ProgressSink* progress) {
  EnsureLibgit2();
  git_repository* raw_repository = nullptr;
  if (git_repository_open_ext(&raw_repository, folder.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0) {
    return Status::InvalidInput(folder + ": not a git checkout")
        .WithHint("clone the model's repository without its weights: GIT_LFS_SKIP_SMUDGE=1 git clone URL");
  }
  const GitRepository repository(raw_repository);
  HubHistory history;
  history.folder = folder;
  git_remote* raw_remote = nullptr;
  if (git_remote_lookup(&raw_remote, repository.get(), "origin") == 0) {
    const GitRemote remote(raw_remote);
    if (git_remote_url(remote.get()) != nullptr) history.origin_url = git_remote_url(remote.get());
  }
  const std::string wanted = rev.empty() ? "HEAD" : rev;
  git_object* raw_object = nullptr;
  if (git_revparse_single(&raw_object, repository.get(), wanted.c_str()) < 0) {
    return Status::InvalidInput(folder + ": no revision '" + wanted + "' (" +
                                (git_error_last() != nullptr ? git_error_last()->message : "libgit2 gave no reason") + ")");
  }
  const GitObject object(raw_object);
  git_object* raw_peeled = nullptr;
  if (git_object_peel(&raw_peeled, object.get(), GIT_OBJECT_COMMIT) < 0) {
    return Status::InvalidInput(folder + ": revision '" + wanted + "' is not a commit");
  }
  const GitObject peeled(raw_peeled);
  const git_oid head = *git_object_id(peeled.get());
  history.head = OidHex(head);

  git_odb* raw_odb = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_repository_odb(&raw_odb, repository.get()), folder));
  const GitOdb odb(raw_odb);
  BlobReader blobs(repository.get(), odb.get());
  git_revwalk* raw_walk = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_revwalk_new(&raw_walk, repository.get()), folder));
  const GitRevwalk walk(raw_walk);
  ASSAY_RETURN_IF_ERROR(GitStatus(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE), folder));
  ASSAY_RETURN_IF_ERROR(GitStatus(git_revwalk_push(walk.get(), &head), folder));
  for (git_oid id; git_revwalk_next(&id, walk.get()) == 0;) {
    ASSAY_ASSIGN_OR_RETURN(GitCommit commit, LookupCommit(repository.get(), id));
    Result<HubRevision> revision = ReadRevision(commit.get(), blobs);
    if (!revision.ok()) return revision.status().WithContext(folder);
    history.revisions.push_back(std::move(*revision));
    if (progress != nullptr) progress->AddHashedBytes(1);
  }
  return history;
}

}  // namespace assay
