#include "ledger/repository_writer.h"

#include "ledger/git_handle.h"

namespace assay {

Status WriteRepository(const std::string& folder, const std::vector<RepositoryCommit>& commits) {
  EnsureLibgit2();
  git_repository* raw_repository = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_repository_init(&raw_repository, folder.c_str(), /*is_bare=*/0), folder));
  GitRepository repository(raw_repository);
  ASSAY_RETURN_IF_ERROR(GitStatus(git_repository_set_head(repository.get(), "refs/heads/main"), folder));
  GitCommit parent;
  for (const RepositoryCommit& commit : commits) {
    git_treebuilder* raw_builder = nullptr;
    ASSAY_RETURN_IF_ERROR(GitStatus(git_treebuilder_new(&raw_builder, repository.get(), nullptr), folder));
    GitTreeBuilder builder(raw_builder);
    for (const RepositoryFile& file : commit.files) {
      if (file.name.empty() || file.name.find('/') != std::string::npos) {
        return Status::InvalidInput(folder + ": '" + file.name + "' is not a file name at the top of a tree");
      }
      git_oid blob;
      ASSAY_RETURN_IF_ERROR(GitStatus(
          git_blob_create_from_buffer(&blob, repository.get(), file.content.data(), file.content.size()), folder));
      ASSAY_RETURN_IF_ERROR(
          GitStatus(git_treebuilder_insert(nullptr, builder.get(), file.name.c_str(), &blob, GIT_FILEMODE_BLOB), folder));
    }
    git_oid tree_id;
    ASSAY_RETURN_IF_ERROR(GitStatus(git_treebuilder_write(&tree_id, builder.get()), folder));
    git_tree* raw_tree = nullptr;
    ASSAY_RETURN_IF_ERROR(GitStatus(git_tree_lookup(&raw_tree, repository.get(), &tree_id), folder));
    GitTree tree(raw_tree);
    git_signature* raw_signature = nullptr;
    ASSAY_RETURN_IF_ERROR(GitStatus(git_signature_new(&raw_signature, commit.author_name.c_str(),
                                                      commit.author_email.c_str(), commit.time, 0),
                                    folder));
    GitSignature signature(raw_signature);
    const git_commit* parents[] = {parent.get()};
    git_oid commit_id;
    ASSAY_RETURN_IF_ERROR(GitStatus(git_commit_create(&commit_id, repository.get(), "refs/heads/main", signature.get(),
                                                      signature.get(), nullptr, commit.message.c_str(), tree.get(),
                                                      parent ? 1 : 0, parents),
                                    folder));
    ASSAY_ASSIGN_OR_RETURN(parent, LookupCommit(repository.get(), commit_id));
  }
  return Status::Ok();
}

}  // namespace assay
