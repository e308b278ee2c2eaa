#include "ledger/ledger_sync.h"

#include <set>

#include "ledger/ledger_verification.h"

namespace assay {
namespace {

std::string TrackingRef(const std::string& remote) { return "refs/remotes/" + remote + "/ledger"; }

Result<std::optional<git_oid>> ResolveRef(git_repository* repository, const std::string& name) {
  git_oid id;
  int code = git_reference_name_to_id(&id, repository, name.c_str());
  if (code == GIT_ENOTFOUND) return std::optional<git_oid>();
  ASSAY_RETURN_IF_ERROR(GitStatus(code, name));
  return std::optional<git_oid>(id);
}

Result<GitRemote> LookupRemote(git_repository* repository, const std::string& name) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repository, name.c_str()) != 0) {
    return Status::InvalidInput("no remote \"" + name + "\"; add one with 'assay remote add NAME URL'");
  }
  return GitRemote(raw);
}

// descendant == ancestor counts as descending.
Result<bool> Descends(git_repository* repository, const git_oid& descendant, const git_oid& ancestor) {
  if (git_oid_equal(&descendant, &ancestor)) return true;
  int code = git_graph_descendant_of(repository, &descendant, &ancestor);
  ASSAY_RETURN_IF_ERROR(GitStatus(code, "ledger history"));
  return code == 1;
}

std::set<std::string> RecordIds(const LedgerStore& ledger, const std::string& head, Status& status) {
  std::set<std::string> ids;
  status = ledger.ForEachRecord(
      [&](const LedgerEntry& entry) {
        ids.insert(entry.record_id);
        return Status::Ok();
      },
      head);
  return ids;
}

}  // namespace

Status AddLedgerRemote(LedgerStore& ledger, const std::string& name, const std::string& url) {
  int valid = 0;  // libgit2 1.5 returns validity through its first argument
  git_remote_name_is_valid(&valid, name.c_str());
  if (!valid) return Status::InvalidInput("\"" + name + "\" is not a valid remote name");
  git_remote* raw = nullptr;
  const std::string fetch_spec = "+refs/heads/ledger:" + TrackingRef(name);
  int code = git_remote_create_with_fetchspec(&raw, ledger.repository(), name.c_str(), url.c_str(), fetch_spec.c_str());
  git_remote_free(raw);
  if (code == GIT_EEXISTS) return Status::InvalidInput("remote \"" + name + "\" exists already");
  return GitStatus(code, "remote " + name);
}

Status PushLedger(LedgerStore& ledger, const std::string& remote_name) {
  ASSAY_ASSIGN_OR_RETURN(GitRemote remote, LookupRemote(ledger.repository(), remote_name));
  char refspec[] = "refs/heads/ledger:refs/heads/ledger";
  char* specs[] = {refspec};
  git_strarray refspecs = {specs, 1};
  git_push_options options = GIT_PUSH_OPTIONS_INIT;
  int code = git_remote_push(remote.get(), &refspecs, &options);
  if (code < 0) {
    Status status = GitStatus(code, "push to " + remote_name);
    return Status::IoError(status.message() + " (if the remote has records this ledger lacks, pull first)");
  }
  return Status::Ok();
}

Result<PullOutcome> PullLedger(LedgerStore& ledger, const std::string& remote_name, const TrustFile& trust,
                               const CommitSigner& signer, int64_t unix_time) {
  git_repository* repository = ledger.repository();
  ASSAY_ASSIGN_OR_RETURN(GitRemote remote, LookupRemote(repository, remote_name));
  const std::string tracking = TrackingRef(remote_name);
  ASSAY_ASSIGN_OR_RETURN(std::optional<git_oid> seen_before, ResolveRef(repository, tracking));

  git_fetch_options fetch_options = GIT_FETCH_OPTIONS_INIT;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_remote_fetch(remote.get(), nullptr, &fetch_options, "assay pull"),
                                  "fetch from " + remote_name));
  ASSAY_ASSIGN_OR_RETURN(std::optional<git_oid> theirs, ResolveRef(repository, tracking));
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> ours_hex, ledger.Head());
  PullOutcome outcome;
  outcome.head = ours_hex.value_or("");
  if (!theirs) return outcome;  // the remote has no records yet

  // What we saw there before must still be there (a force push rewrote it otherwise).
  if (seen_before) {
    ASSAY_ASSIGN_OR_RETURN(bool kept, Descends(repository, *theirs, *seen_before));
    if (!kept) {
      // Restore the tracking ref, so the refusal repeats until someone looks.
      git_reference* ref = nullptr;
      git_reference_create(&ref, repository, tracking.c_str(), &*seen_before, 1, "assay: refuse rewritten remote");
      git_reference_free(ref);
      return Status::CheckFailed("remote \"" + remote_name + "\" rewrote its history: commit " +
                                 OidHex(*seen_before) + " fetched before is gone from it; refusing to pull");
    }
  }
  const std::string theirs_hex = OidHex(*theirs);
  // Every fetched record and commit must check out before anything local changes.
  Result<LedgerReport> report = VerifyLedger(ledger, trust, theirs_hex);
  if (!report.ok()) return Status::CheckFailed("remote \"" + remote_name + "\": " + report.status().message());

  if (!ours_hex) {
    ASSAY_RETURN_IF_ERROR(ledger.MoveHead(*theirs, nullptr, "assay: pull " + remote_name));
    return PullOutcome{PullOutcome::Kind::kFastForward, theirs_hex, report->record_ids.size()};
  }
  git_oid ours;
  git_oid_fromstr(&ours, ours_hex->c_str());
  ASSAY_ASSIGN_OR_RETURN(bool already_have, Descends(repository, ours, *theirs));
  if (already_have) return outcome;

  Status status;
  std::set<std::string> local_ids = RecordIds(ledger, *ours_hex, status);
  ASSAY_RETURN_IF_ERROR(status);
  for (const std::string& id : report->record_ids) outcome.new_records += local_ids.count(id) == 0;

  ASSAY_ASSIGN_OR_RETURN(bool fast_forward, Descends(repository, *theirs, ours));
  if (fast_forward) {
    ASSAY_RETURN_IF_ERROR(ledger.MoveHead(*theirs, &ours, "assay: pull " + remote_name + " (fast-forward)"));
    return PullOutcome{PullOutcome::Kind::kFastForward, theirs_hex, outcome.new_records};
  }

  // Records never change, so the merge cannot conflict: both sides only added
  // files, and a path names its content.
  git_commit *our_commit = nullptr, *their_commit = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_commit_lookup(&our_commit, repository, &ours), "ledger"));
  GitCommit our_owned(our_commit);
  ASSAY_RETURN_IF_ERROR(GitStatus(git_commit_lookup(&their_commit, repository, &*theirs), "ledger"));
  GitCommit their_owned(their_commit);
  git_index* merged = nullptr;
  git_merge_options merge_options = GIT_MERGE_OPTIONS_INIT;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_merge_commits(&merged, repository, our_commit, their_commit, &merge_options),
                                  "merge"));
  GitPtr<git_index, git_index_free> index(merged);
  if (git_index_has_conflicts(merged)) {
    return Status::CheckFailed("remote \"" + remote_name + "\" holds a different file at a record's path");
  }
  git_oid tree_id;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_index_write_tree_to(&tree_id, merged, repository), "merge"));
  git_tree* tree_raw = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_tree_lookup(&tree_raw, repository, &tree_id), "merge"));
  GitTree tree(tree_raw);
  const git_commit* parents[2] = {our_commit, their_commit};
  const std::string message = "merge ledger of remote " + remote_name + "\n\nMerged-Records: " +
                              std::to_string(outcome.new_records) + "\n";
  ASSAY_ASSIGN_OR_RETURN(git_oid merge_id, ledger.CommitSigned(tree.get(), parents, message, signer, unix_time));
  ASSAY_RETURN_IF_ERROR(ledger.MoveHead(merge_id, &ours, "assay: pull " + remote_name + " (merge)"));
  return PullOutcome{PullOutcome::Kind::kMerged, OidHex(merge_id), outcome.new_records};
}

}  // namespace assay
