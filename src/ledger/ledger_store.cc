#include "ledger/ledger_store.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <set>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "digest/sha256.h"
#include "json/strict_json.h"
#include "ledger/record_summary.h"
#include "printable.h"
#include "record/record_id.h"
#include "sign/dsse.h"
#include "sign/sshsig.h"

namespace assay {
namespace {

// The record's kind as the index names it ("model", "claim", ... "other"),
// for the commit message.
std::string KindOf(std::string_view payload) {
  Result<nlohmann::json> statement = ParseStrictJson(payload);
  const bool typed = statement.ok() && statement->is_object() && statement->contains("predicateType") &&
                     (*statement)["predicateType"].is_string();
  return std::string(RecordKindName(RecordKindOf(typed ? (*statement)["predicateType"].get<std::string>() : "")));
}

// The record id a well-formed path names, or nullopt.
std::optional<std::string> RecordIdOfPath(std::string_view path) {
  // records/ab/cd/<64 hex>.json
  if (path.size() != 8 + 3 + 3 + 64 + 5 || !path.starts_with("records/") || !path.ends_with(".json")) return std::nullopt;
  std::string_view id = path.substr(14, 64);
  if (!IsLowerHex(id) || path.substr(8, 2) != id.substr(0, 2) || path.substr(11, 2) != id.substr(2, 2) ||
      path[10] != '/' || path[13] != '/') {
    return std::nullopt;
  }
  return std::string(id);
}

// Opens `path` and flushes it to disk: the file or folder itself (fsync), or,
// with `whole_file_system`, everything written on its file system (syncfs),
// which covers every object an append wrote in one call.
Status SyncToDisk(const std::string& path, int open_flags, bool whole_file_system = false) {
  int fd = ::open(path.c_str(), open_flags | O_CLOEXEC);
  if (fd < 0) return Status::IoError(path + ": cannot open to sync (" + std::strerror(errno) + ")");
  int rc = whole_file_system ? ::syncfs(fd) : ::fsync(fd);
  const int error = errno;
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::IoError(path + ": cannot sync to disk (" + std::strerror(error) + ")");
}

Result<GitTree> TreeAtCommit(git_repository* repository, const git_oid& commit_id) {
  ASSAY_ASSIGN_OR_RETURN(GitCommit commit, LookupCommit(repository, commit_id));
  return TreeOfCommit(commit.get());
}

// Writes `tree` (may be null: empty) with `blob` inserted at `components`,
// creating and rewriting only the trees along that path.
Result<git_oid> InsertAtPath(git_repository* repository, const git_tree* tree,
                             std::span<const std::string> components, const git_oid& blob) {
  git_treebuilder* raw = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_treebuilder_new(&raw, repository, tree), "ledger tree"));
  GitTreeBuilder builder(raw);
  git_oid entry_id = blob;
  git_filemode_t mode = GIT_FILEMODE_BLOB;
  if (components.size() > 1) {
    GitTree child;
    if (tree != nullptr) {
      const git_tree_entry* existing = git_tree_entry_byname(tree, components[0].c_str());
      if (existing != nullptr) {
        git_tree* child_raw = nullptr;
        ASSAY_RETURN_IF_ERROR(GitStatus(git_tree_lookup(&child_raw, repository, git_tree_entry_id(existing)), "ledger tree"));
        child.reset(child_raw);
      }
    }
    ASSAY_ASSIGN_OR_RETURN(entry_id, InsertAtPath(repository, child.get(), components.subspan(1), blob));
    mode = GIT_FILEMODE_TREE;
  }
  ASSAY_RETURN_IF_ERROR(GitStatus(git_treebuilder_insert(nullptr, builder.get(), components[0].c_str(), &entry_id, mode), "ledger tree"));
  git_oid written;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_treebuilder_write(&written, builder.get()), "ledger tree"));
  return written;
}

std::vector<std::string> PathComponents(std::string_view record_id) {
  return {"records", std::string(record_id.substr(0, 2)), std::string(record_id.substr(2, 2)),
          std::string(record_id) + ".json"};
}

Result<std::string> ReadBlob(git_repository* repository, const git_oid& id) {
  git_blob* raw = nullptr;
  ASSAY_RETURN_IF_ERROR(
      GitStatus(git_blob_lookup(&raw, repository, &id), RepositoryName(repository) + ": record blob " + OidHex(id)));
  GitBlob blob(raw);
  return std::string(static_cast<const char*>(git_blob_rawcontent(raw)), static_cast<size_t>(git_blob_rawsize(raw)));
}

struct TreeChange {
  enum class Kind { kAdded, kDeleted, kChanged } kind;
  std::string path;
  git_oid id;  // the new blob, for an addition
  git_filemode_t mode;
};

// Compares two trees (either may be null: empty), descending only into
// subtrees whose ids differ, so a commit that adds one record costs four
// small tree reads whatever the ledger's size.
Status CompareTrees(git_repository* repository, const git_tree* before, const git_tree* after,
                    const std::string& prefix, std::vector<TreeChange>& changes) {
  auto subtree = [&](const git_tree_entry* entry, GitTree& holder) -> Status {
    if (entry == nullptr || git_tree_entry_type(entry) != GIT_OBJECT_TREE) return Status::Ok();
    git_tree* raw = nullptr;
    ASSAY_RETURN_IF_ERROR(GitStatus(git_tree_lookup(&raw, repository, git_tree_entry_id(entry)), "ledger tree"));
    holder.reset(raw);
    return Status::Ok();
  };
  const size_t after_count = after != nullptr ? git_tree_entrycount(after) : 0;
  for (size_t i = 0; i < after_count; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(after, i);
    const std::string name = git_tree_entry_name(entry);
    const git_tree_entry* old = before != nullptr ? git_tree_entry_byname(before, name.c_str()) : nullptr;
    if (old != nullptr && git_oid_equal(git_tree_entry_id(old), git_tree_entry_id(entry)) &&
        git_tree_entry_filemode(old) == git_tree_entry_filemode(entry)) {
      continue;
    }
    const bool is_tree = git_tree_entry_type(entry) == GIT_OBJECT_TREE;
    const bool was_tree = old != nullptr && git_tree_entry_type(old) == GIT_OBJECT_TREE;
    if (is_tree && (old == nullptr || was_tree)) {
      GitTree old_tree, new_tree;
      ASSAY_RETURN_IF_ERROR(subtree(old, old_tree));
      ASSAY_RETURN_IF_ERROR(subtree(entry, new_tree));
      ASSAY_RETURN_IF_ERROR(CompareTrees(repository, old_tree.get(), new_tree.get(), prefix + name + "/", changes));
      continue;
    }
    changes.push_back({old == nullptr ? TreeChange::Kind::kAdded : TreeChange::Kind::kChanged, prefix + name,
                       *git_tree_entry_id(entry), git_tree_entry_filemode(entry)});
  }
  const size_t before_count = before != nullptr ? git_tree_entrycount(before) : 0;
  for (size_t i = 0; i < before_count; ++i) {
    const git_tree_entry* old = git_tree_entry_byindex(before, i);
    if (after == nullptr || git_tree_entry_byname(after, git_tree_entry_name(old)) == nullptr) {
      changes.push_back({TreeChange::Kind::kDeleted, prefix + git_tree_entry_name(old), *git_tree_entry_id(old),
                         git_tree_entry_filemode(old)});
    }
  }
  return Status::Ok();
}

// The paths `tree` adds over `parent_tree` (null: empty), in id order;
// kCheckFailed when anything else changed.
Result<std::vector<std::pair<std::string, git_oid>>> AddedRecords(git_repository* repository,
                                                                    const git_tree* parent_tree,
                                                                    const git_tree* tree, const std::string& commit) {
  std::vector<TreeChange> changes;
  ASSAY_RETURN_IF_ERROR(CompareTrees(repository, parent_tree, tree, "", changes));
  std::vector<std::pair<std::string, git_oid>> added;
  for (const TreeChange& change : changes) {
    if (change.kind != TreeChange::Kind::kAdded) {
      return Status::CheckFailed("ledger commit " + commit + " does not only add records: it " +
                                 (change.kind == TreeChange::Kind::kDeleted ? "deletes " : "changes ") + change.path);
    }
    std::optional<std::string> id = RecordIdOfPath(change.path);
    if (!id || change.mode != GIT_FILEMODE_BLOB) {
      return Status::CheckFailed("ledger commit " + commit + " adds " + change.path + ", which is not a record path");
    }
    added.emplace_back(*id, change.id);
  }
  std::sort(added.begin(), added.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return added;
}

// The temporary sibling a ledger is built in: ".NAME.assay-init-PID".
std::string InitFolderName(const std::string& name, pid_t pid) {
  return "." + name + ".assay-init-" + std::to_string(pid);
}

// Removes the temporary siblings of `name` whose process is gone (killed
// during an init); a live one belongs to an init still running.
void RemoveAbandonedInits(const std::filesystem::path& parent, const std::string& name,
                          std::vector<std::string>* repairs) {
  const std::string prefix = "." + name + ".assay-init-";
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(parent, error)) {
    const std::string file = entry.path().filename().string();
    if (!file.starts_with(prefix)) continue;
    char* end = nullptr;
    const long pid = std::strtol(file.c_str() + prefix.size(), &end, 10);
    if (end == nullptr || *end != '\0' || pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code removed;
    std::filesystem::remove_all(entry.path(), removed);
    if (!removed && repairs != nullptr) repairs->push_back(entry.path().string() + ": removed what a killed init left");
  }
}

// Whether `folder` holds only what git_repository_init writes before any
// record: the skeleton's files and folders, no object and no ref.
bool IsUnfinishedInit(const std::filesystem::path& folder) {
  static const std::set<std::string> kSkeleton = {"HEAD", "config", "description", "hooks", "info",
                                                  "objects", "refs", "branches", "assay.lock"};
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (kSkeleton.count(entry.path().filename().string()) == 0) return false;
  }
  if (error) return false;
  for (const char* sub : {"objects", "refs"}) {
    for (auto it = std::filesystem::recursive_directory_iterator(folder / sub, error);
         !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      if (!it->is_directory(error)) return false;
    }
  }
  return !error || error == std::errc::no_such_file_or_directory;
}

// A bare repository whose HEAD is the ledger branch.
Status CreateBareLedger(const std::string& path) {
  git_repository* raw = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_repository_init(&raw, path.c_str(), /*is_bare=*/1), path));
  GitRepository repository(raw);
  git_reference* head = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(
      git_reference_symbolic_create(&head, raw, "HEAD", kLedgerBranch, /*force=*/1, "assay init"), path));
  git_reference_free(head);
  return Status::Ok();
}

}  // namespace

std::string RecordPath(std::string_view record_id) {
  std::string path;
  for (const std::string& component : PathComponents(record_id)) path += (path.empty() ? "" : "/") + component;
  return path;
}

Result<std::unique_ptr<LedgerStore>> LedgerStore::Init(const std::string& path, std::vector<std::string>* repairs) {
  EnsureLibgit2();
  if (Result<std::unique_ptr<LedgerStore>> existing = Open(path); existing.ok()) return existing;
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path target = fs::path(path).lexically_normal();
  if (fs::exists(target, error) && !fs::is_empty(target, error)) {
    if (!IsUnfinishedInit(target)) {
      return Status::InvalidInput(path + ": exists and is not an assay ledger; choose an empty or new folder, or "
                                         "pass --ledger DIR to use another");
    }
    // What an 'assay init' killed before this version made creation atomic
    // leaves: an empty git skeleton. Nothing was ever recorded in it.
    fs::remove_all(target, error);
    if (error) return Status::IoError(path + ": cannot remove a half-made ledger (" + error.message() + ")");
    if (repairs != nullptr) repairs->push_back(path + ": removed a half-made ledger that an interrupted init left");
  }
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, error);
  if (error) return Status::IoError(parent.string() + ": cannot create the ledger's folder (" + error.message() + ")");
  RemoveAbandonedInits(parent, target.filename().string(), repairs);

  // Made beside its place and renamed into it, so a kill or a full disk
  // leaves either no ledger or a whole one, never a folder that is neither.
  const fs::path building = parent / InitFolderName(target.filename().string(), ::getpid());
  fs::remove_all(building, error);
  Status made = CreateBareLedger(building.string());
  if (made.ok()) made = SyncToDisk(building.string(), O_RDONLY | O_DIRECTORY, /*whole_file_system=*/true);
  if (!made.ok()) {
    fs::remove_all(building, error);
    return made.WithContext(path);
  }
  if (::rename(building.c_str(), target.c_str()) != 0) {
    const int rename_error = errno;
    fs::remove_all(building, error);
    // Another process made it first: use theirs.
    if (Result<std::unique_ptr<LedgerStore>> theirs = Open(path); theirs.ok()) return theirs;
    return Status::IoError(path + ": cannot move the new ledger into place (" + std::strerror(rename_error) + ")");
  }
  ASSAY_RETURN_IF_ERROR(SyncToDisk(parent.string(), O_RDONLY | O_DIRECTORY));
  return Open(path);
}

Result<std::unique_ptr<LedgerStore>> LedgerStore::Open(const std::string& path) {
  EnsureLibgit2();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0) {
    return Status::IoError(path + ": no ledger here").WithHint("run 'assay init " + path + "', or pass --ledger DIR");
  }
  GitRepository repository(raw);
  git_reference* head = nullptr;
  bool is_ledger = git_reference_lookup(&head, raw, "HEAD") == 0 && git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
                   std::string_view(git_reference_symbolic_target(head)) == kLedgerBranch;
  git_reference_free(head);
  if (!git_repository_is_bare(raw) || !is_ledger) {
    if (IsUnfinishedInit(std::filesystem::path(path))) {
      return Status::InvalidInput(path + ": a ledger that an interrupted init left unfinished")
          .WithHint("run 'assay init " + path + "' to finish it");
    }
    return Status::InvalidInput(path + ": a git repository, but not an assay ledger (HEAD is not " +
                                std::string(kLedgerBranch) + ")");
  }
  return std::unique_ptr<LedgerStore>(new LedgerStore(path, std::move(repository)));
}

Result<std::vector<std::string>> LedgerStore::RemoveStaleWriterFiles() {
  namespace fs = std::filesystem;
  std::vector<std::string> removed;
  std::error_code error;
  auto remove = [&](const fs::path& file, const std::string& what) -> Status {
    std::error_code failed;
    fs::remove(file, failed);
    if (failed) return Status::IoError(file.string() + ": cannot remove " + what + " (" + failed.message() + ")");
    removed.push_back(path_ + ": removed " + what + " " + fs::relative(file, path_, failed).string() +
                      " that a killed writer left");
    return Status::Ok();
  };
  for (const char* top : {"HEAD.lock", "config.lock", "packed-refs.lock"}) {
    if (fs::exists(fs::path(path_) / top, error)) ASSAY_RETURN_IF_ERROR(remove(fs::path(path_) / top, "a stale lock"));
  }
  std::vector<fs::path> stale;
  for (const char* folder : {"refs", "objects"}) {
    for (auto it = fs::recursive_directory_iterator(fs::path(path_) / folder, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      const std::string name = it->path().filename().string();
      const bool lock = std::string_view(folder) == "refs" && name.ends_with(".lock");
      const bool temporary = name.starts_with("tmp_object_git2_") || name.starts_with("pack_git2_");
      if ((lock || temporary) && !it->is_directory(error)) stale.push_back(it->path());
    }
  }
  for (const fs::path& file : stale) {
    ASSAY_RETURN_IF_ERROR(remove(file, file.filename().string().ends_with(".lock") ? "a stale lock" : "a temporary file"));
  }
  return removed;
}

Result<std::optional<std::string>> LedgerStore::Head() const {
  git_oid head;
  int code = git_reference_name_to_id(&head, repository_.get(), kLedgerBranch);
  if (code == GIT_ENOTFOUND) return std::optional<std::string>();
  ASSAY_RETURN_IF_ERROR(GitStatus(code, path_));
  return std::optional<std::string>(OidHex(head));
}

Result<std::optional<std::string>> LedgerStore::ReadRecord(std::string_view record_id) const {
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> head, Head());
  if (!head || record_id.size() != 64 || !IsLowerHex(record_id)) return std::optional<std::string>();
  git_oid head_id;
  git_oid_fromstr(&head_id, head->c_str());
  ASSAY_ASSIGN_OR_RETURN(GitTree tree, TreeAtCommit(repository_.get(), head_id));
  git_tree_entry* entry = nullptr;
  if (git_tree_entry_bypath(&entry, tree.get(), RecordPath(record_id).c_str()) != 0) return std::optional<std::string>();
  git_oid blob_id = *git_tree_entry_id(entry);
  git_tree_entry_free(entry);
  ASSAY_ASSIGN_OR_RETURN(std::string envelope, ReadBlob(repository_.get(), blob_id));
  return std::optional<std::string>(std::move(envelope));
}

Result<LedgerStore::Appended> LedgerStore::Append(std::string_view envelope, const CommitSigner& signer,
                                                  int64_t unix_time) {
  while (!envelope.empty() && (envelope.back() == '\n' || envelope.back() == '\r')) envelope.remove_suffix(1);
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope parsed, ParseDsseEnvelope(envelope));
  if (parsed.payload_type != kInTotoPayloadType) {
    return Status::InvalidInput("record payload type is \"" + parsed.payload_type + "\", not an in-toto statement");
  }
  const std::string id = RecordId(parsed.payload);
  git_repository* repository = repository_.get();

  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> head, Head());
  git_oid head_id;
  GitCommit parent;
  GitTree parent_tree;
  if (head) {
    git_oid_fromstr(&head_id, head->c_str());
    ASSAY_ASSIGN_OR_RETURN(parent, LookupCommit(repository, head_id));
    ASSAY_ASSIGN_OR_RETURN(parent_tree, TreeOfCommit(parent.get()));
    git_tree_entry* existing = nullptr;
    if (git_tree_entry_bypath(&existing, parent_tree.get(), RecordPath(id).c_str()) == 0) {
      git_tree_entry_free(existing);
      return Appended{id, *head, true, std::string(envelope) + "\n"};
    }
  }

  const std::string stored = std::string(envelope) + "\n";
  git_oid blob;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_blob_create_from_buffer(&blob, repository, stored.data(), stored.size()), path_));
  std::vector<std::string> components = PathComponents(id);
  ASSAY_ASSIGN_OR_RETURN(git_oid tree_id, InsertAtPath(repository, parent_tree.get(), components, blob));
  git_tree* tree_raw = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_tree_lookup(&tree_raw, repository, &tree_id), path_));
  GitTree tree(tree_raw);

  const std::string kind = KindOf(parsed.payload);
  const std::string message = "add " + kind + " record " + id + "\n\nRecord-Id: " + id + "\n";
  std::vector<const git_commit*> parents;
  if (parent) parents.push_back(parent.get());
  ASSAY_ASSIGN_OR_RETURN(git_oid commit_id, CommitSigned(tree.get(), parents, message, signer, unix_time));
  ASSAY_RETURN_IF_ERROR(MoveHead(commit_id, head ? &head_id : nullptr, "assay: add " + kind + " record " + id));
  return Appended{id, OidHex(commit_id), false, stored};
}

Result<size_t> LedgerStore::CheckOnlyAddsRecords(const git_tree* before, const git_tree* after,
                                                const std::string& what) const {
  ASSAY_ASSIGN_OR_RETURN(auto added, AddedRecords(repository_.get(), before, after, what));
  return added.size();
}

Result<git_oid> LedgerStore::CommitSigned(const git_tree* tree, std::span<const git_commit*> parents,
                                          const std::string& message, const CommitSigner& signer,
                                          int64_t unix_time) {
  git_repository* repository = repository_.get();
  git_signature* who_raw = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_signature_new(&who_raw, signer.name.c_str(),
                                                    (signer.key_id + "@assay.invalid").c_str(), unix_time, 0),
                                  "commit author"));
  GitSignature who(who_raw);
  git_buf unsigned_commit = GIT_BUF_INIT;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_commit_create_buffer(&unsigned_commit, repository, who.get(), who.get(), nullptr,
                                                           message.c_str(), tree, parents.size(), parents.data()),
                                  path_));
  std::string commit_text(unsigned_commit.ptr, unsigned_commit.size);
  git_buf_dispose(&unsigned_commit);

  // git signs the whole unsigned commit object with namespace "git" (INTEROP.md).
  ASSAY_ASSIGN_OR_RETURN(std::string armored, SignSshsig(*signer.key, kGitSshsigNamespace, commit_text));
  // libgit2 would add a line holding one space after a final newline (INTEROP.md).
  while (!armored.empty() && armored.back() == '\n') armored.pop_back();
  git_oid commit_id;
  ASSAY_RETURN_IF_ERROR(GitStatus(
      git_commit_create_with_signature(&commit_id, repository, commit_text.c_str(), armored.c_str(), "gpgsig"), path_));
  return commit_id;
}

Status LedgerStore::MoveHead(const git_oid& commit_id, const git_oid* expected_head, const std::string& log_message) {
  // Durability (docs/spec/ledger.md): every new object reaches the disk
  // before the ref that makes it reachable, and the ref before we return.
  if (sync_writes_) ASSAY_RETURN_IF_ERROR(SyncToDisk(path_ + "/objects", O_RDONLY | O_DIRECTORY, true));
  // Compare-and-swap: the ref moves only from the head the commit builds on.
  git_reference* ref = nullptr;
  int code = expected_head != nullptr
                 ? git_reference_create_matching(&ref, repository_.get(), kLedgerBranch, &commit_id, /*force=*/1,
                                                 expected_head, log_message.c_str())
                 : git_reference_create(&ref, repository_.get(), kLedgerBranch, &commit_id, /*force=*/0,
                                        log_message.c_str());
  git_reference_free(ref);
  if (code == GIT_EMODIFIED || code == GIT_EEXISTS) {
    return Status::IoError(path_ + ": the ledger moved while writing (another writer without the lock?)");
  }
  ASSAY_RETURN_IF_ERROR(GitStatus(code, path_));
  if (!sync_writes_) return Status::Ok();
  ASSAY_RETURN_IF_ERROR(SyncToDisk(path_ + "/" + kLedgerBranch, O_RDONLY));
  return SyncToDisk(path_ + "/refs/heads", O_RDONLY | O_DIRECTORY);
}

Status LedgerStore::ForEachRecord(const std::function<Status(const LedgerEntry&)>& visit,
                                  std::optional<std::string> head) const {
  if (!head) {
    ASSAY_ASSIGN_OR_RETURN(head, Head());
  }
  if (!head) return Status::Ok();
  git_repository* repository = repository_.get();
  // First parents from the head back to the first commit, then forwards.
  std::vector<git_oid> chain;
  git_oid current;
  if (git_oid_fromstr(&current, head->c_str()) != 0) return Status::InvalidInput("not a commit id: " + *head);
  for (;;) {
    chain.push_back(current);
    ASSAY_ASSIGN_OR_RETURN(GitCommit commit, LookupCommit(repository, current));
    if (git_commit_parentcount(commit.get()) == 0) break;
    current = *git_commit_parent_id(commit.get(), 0);
  }
  std::reverse(chain.begin(), chain.end());

  uint64_t position = 0;
  GitTree previous_tree;
  for (const git_oid& commit_id : chain) {
    ASSAY_ASSIGN_OR_RETURN(GitCommit commit_object, LookupCommit(repository, commit_id));
    ASSAY_ASSIGN_OR_RETURN(GitTree tree, TreeOfCommit(commit_object.get()));
    const std::string commit = OidHex(commit_id);
    const int64_t commit_time = static_cast<int64_t>(git_commit_time(commit_object.get()));
    ASSAY_ASSIGN_OR_RETURN(auto added, AddedRecords(repository, previous_tree.get(), tree.get(), commit));
    for (const auto& [id, blob] : added) {
      ASSAY_ASSIGN_OR_RETURN(std::string envelope, ReadBlob(repository, blob));
      ASSAY_RETURN_IF_ERROR(visit(LedgerEntry{position++, id, commit, commit_time, std::move(envelope)}));
    }
    previous_tree = std::move(tree);
  }
  return Status::Ok();
}

Result<bool> LedgerStore::IsOnFirstParentChain(const std::string& ancestor, const std::string& head) const {
  git_oid target, current;
  if (git_oid_fromstr(&target, ancestor.c_str()) != 0 || git_oid_fromstr(&current, head.c_str()) != 0) {
    return Status::InvalidInput("not a commit id: " + ancestor + " or " + head);
  }
  for (;;) {
    if (git_oid_equal(&current, &target)) return true;
    ASSAY_ASSIGN_OR_RETURN(GitCommit commit, LookupCommit(repository_.get(), current));
    if (git_commit_parentcount(commit.get()) == 0) return false;
    current = *git_commit_parent_id(commit.get(), 0);
  }
}

namespace {

// A process's start, in clock ticks since boot (/proc/PID/stat, field 22):
// with its id, it names one process, even after the id is reused.
std::optional<uint64_t> ProcessStartTicks(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t name_end = text.rfind(')');  // the command name may hold spaces and parentheses
  if (name_end == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(name_end + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 22) return std::strtoull(field.c_str(), nullptr, 10);
  }
  return std::nullopt;
}

// "process 1234 (assay attest model), running for 35 s", from what the
// holder wrote into the lock file, or "another process" when that is gone.
std::string DescribeHolder(int fd) {
  char buffer[128] = {};
  const ssize_t read = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::istringstream held(std::string(buffer, read > 0 ? static_cast<size_t>(read) : 0));
  std::string pid, start;
  if (!(held >> pid >> start) || pid.find_first_not_of("0123456789") != std::string::npos) return "another process";
  const std::optional<uint64_t> now_start = ProcessStartTicks(pid);
  if (!now_start || std::to_string(*now_start) != start) return "another process";
  std::ifstream cmdline_file("/proc/" + pid + "/cmdline");
  std::string cmdline((std::istreambuf_iterator<char>(cmdline_file)), std::istreambuf_iterator<char>());
  std::string command;
  size_t begin = 0;
  for (int words = 0; words < 3 && begin < cmdline.size(); ++words) {  // "assay attest model"
    const size_t end = cmdline.find('\0', begin);
    std::string word = cmdline.substr(begin, end - begin);
    if (words == 0) word = word.substr(word.rfind('/') + 1);
    command += (command.empty() ? "" : " ") + word;
    begin = end == std::string::npos ? cmdline.size() : end + 1;
  }
  std::ifstream uptime_file("/proc/uptime");
  double uptime = 0;
  uptime_file >> uptime;
  const double started = static_cast<double>(*now_start) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return "process " + pid + " (" + Printable(command) + "), running for " +
         std::to_string(static_cast<long long>(uptime - started)) + " s";
}

}  // namespace

Result<LedgerLock> LedgerLock::Acquire(const std::string& ledger_path, int timeout_ms) {
  const std::string path = ledger_path + "/assay.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError(path + ": cannot open the ledger lock");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      const std::string holder = DescribeHolder(fd);
      ::close(fd);
      return Status::IoError(ledger_path + ": the ledger is locked by " + holder)
          .WithHint("try again when it ends; the lock goes with the process, so a killed one never holds it");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Who holds it, for a command that waits: the lock itself is the flock,
  // which the kernel drops when this process ends, however it ends.
  const std::string pid = std::to_string(::getpid());
  const std::string holder = pid + " " + std::to_string(ProcessStartTicks(pid).value_or(0)) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, holder.data(), holder.size(), 0) != static_cast<ssize_t>(holder.size())) {
    ::close(fd);
    return Status::IoError(path + ": cannot write the ledger lock: " + std::strerror(errno));
  }
  return LedgerLock(fd);
}

LedgerLock::LedgerLock(LedgerLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

LedgerLock::~LedgerLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace assay
