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

// kNotFound for a name the ledger has no remote by.
Result<GitRemote> LookupRemote(LedgerStore& ledger, const std::string& name) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, ledger.repository(), name.c_str()) != 0) {
    return Status::NotFound("no remote \"" + name + "\" in the ledger " + ledger.path())
        .WithHint("add one with 'assay remote add " + name + " URL'");
  }
  return GitRemote(raw);
}

Status Fetch(git_remote* remote, const std::string& name) {
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  return GitStatus(git_remote_fetch(remote, nullptr, &options, "assay fetch"), "fetch from " + name);
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
  ASSAY_ASSIGN_OR_RETURN(GitRemote remote, LookupRemote(ledger, remote_name));
  // A push may only extend the remote's own order: its head must be on our
  // first-parent chain. Otherwise its owner pulls from us instead.
  ASSAY_RETURN_IF_ERROR(Fetch(remote.get(), remote_name));
  ASSAY_ASSIGN_OR_RETURN(std::optional<git_oid> theirs, ResolveRef(ledger.repository(), TrackingRef(remote_name)));
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> ours, ledger.Head());
  if (theirs && ours) {
    ASSAY_ASSIGN_OR_RETURN(bool extends, ledger.IsOnFirstParentChain(OidHex(*theirs), *ours));
    if (!extends) {
      return Status::InvalidInput("remote \"" + remote_name + "\" has its own history, which a push would reorder; "
                                  "its owner should 'assay pull' from this ledger instead");
    }
  }
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
                               const CommitSigner& signer, int64_t unix_time, ProgressSink* progress) {
  git_repository* repository = ledger.repository();
  ASSAY_ASSIGN_OR_RETURN(GitRemote remote, LookupRemote(ledger, remote_name));
  const std::string tracking = TrackingRef(remote_name);
  ASSAY_ASSIGN_OR_RETURN(std::optional<git_oid> seen_before, ResolveRef(repository, tracking));

  ASSAY_RETURN_IF_ERROR(Fetch(remote.get(), remote_name));
  ASSAY_ASSIGN_OR_RETURN(std::optional<git_oid> theirs, ResolveRef(repository, tracking));
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> ours_hex, ledger.Head());
  PullOutcome outcome;
  outcome.head = ours_hex.value_or("");
  if (!theirs) return outcome;  // the remote has no records yet

  // What we saw there before must still be there, in the same order (a force
  // push rewrote it otherwise).
  const std::string theirs_hex = OidHex(*theirs);
  if (seen_before) {
    ASSAY_ASSIGN_OR_RETURN(bool kept, ledger.IsOnFirstParentChain(OidHex(*seen_before), theirs_hex));
    if (!kept) {
      // Restore the tracking ref, so the refusal repeats until someone looks.
      git_reference* ref = nullptr;
      git_reference_create(&ref, repository, tracking.c_str(), &*seen_before, 1, "assay: refuse rewritten remote");
      git_reference_free(ref);
      return Status::CheckFailed("remote \"" + remote_name + "\" rewrote its history: commit " +
                                 OidHex(*seen_before) + " fetched before is gone from it; refusing to pull");
    }
  }
  // Every fetched record and commit must check out before anything local changes.
  Result<LedgerReport> report = VerifyLedger(ledger, trust, theirs_hex, progress);
  if (!report.ok()) return Status::CheckFailed("remote \"" + remote_name + "\": " + report.status().message());

  if (!ours_hex) {
    ASSAY_RETURN_IF_ERROR(ledger.MoveHead(*theirs, nullptr, "assay: pull " + remote_name));
    return PullOutcome{PullOutcome::Kind::kFastForward, theirs_hex, report->record_ids.size()};
  }
  git_oid ours;
  git_oid_fromstr(&ours, ours_hex->c_str());
  Status status;
  std::set<std::string> local_ids = RecordIds(ledger, *ours_hex, status);
  ASSAY_RETURN_IF_ERROR(status);
  for (const std::string& id : report->record_ids) outcome.new_records += local_ids.count(id) == 0;
  if (outcome.new_records == 0) return outcome;  // we hold every record they have

  // Fast-forward only when our head is on their first-parent chain: then our
  // ledger order stays a prefix of theirs. Otherwise merge, ours first.
  ASSAY_ASSIGN_OR_RETURN(bool fast_forward, ledger.IsOnFirstParentChain(*ours_hex, theirs_hex));
  if (fast_forward) {
    ASSAY_RETURN_IF_ERROR(ledger.MoveHead(*theirs, &ours, "assay: pull " + remote_name + " (fast-forward)"));
    return PullOutcome{PullOutcome::Kind::kFastForward, theirs_hex, outcome.new_records};
  }

  // Records never change, so the merge cannot conflict: both sides only added
  // files, and a path names its content.
  ASSAY_ASSIGN_OR_RETURN(GitCommit our_commit, LookupCommit(repository, ours));
  ASSAY_ASSIGN_OR_RETURN(GitCommit their_commit, LookupCommit(repository, *theirs));
  git_index* merged = nullptr;
  git_merge_options merge_options = GIT_MERGE_OPTIONS_INIT;
  ASSAY_RETURN_IF_ERROR(GitStatus(
      git_merge_commits(&merged, repository, our_commit.get(), their_commit.get(), &merge_options), "merge"));
  GitPtr<git_index, git_index_free> index(merged);
  if (git_index_has_conflicts(merged)) {
    return Status::CheckFailed("remote \"" + remote_name + "\" holds a different file at a record's path");
  }
  git_oid tree_id;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_index_write_tree_to(&tree_id, merged, repository), "merge"));
  git_tree* tree_raw = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_tree_lookup(&tree_raw, repository, &tree_id), "merge"));
  GitTree tree(tree_raw);
  // A three-way merge could delete one of our records (their side branch may
  // delete what our history added): the merged tree must hold all of ours
  // and all of theirs, and add only records to each.
  ASSAY_ASSIGN_OR_RETURN(GitTree our_tree, TreeOfCommit(our_commit.get()));
  ASSAY_ASSIGN_OR_RETURN(GitTree their_tree, TreeOfCommit(their_commit.get()));
  for (const git_tree* side : {our_tree.get(), their_tree.get()}) {
    Status kept = ledger.CheckOnlyAddsRecords(side, tree.get(), "the merge with remote "" + remote_name + """).status();
    if (!kept.ok()) {
      return Status::CheckFailed("remote "" + remote_name + "" cannot be merged without losing records: " +
                                 kept.message());
    }
  }
  const git_commit* parents[2] = {our_commit.get(), their_commit.get()};
  const std::string message = "merge ledger of remote " + remote_name + "\n\nMerged-Records: " +
                              std::to_string(outcome.new_records) + "\n";
  ASSAY_ASSIGN_OR_RETURN(git_oid merge_id, ledger.CommitSigned(tree.get(), parents, message, signer, unix_time));
  ASSAY_RETURN_IF_ERROR(ledger.MoveHead(merge_id, &ours, "assay: pull " + remote_name + " (merge)"));
  return PullOutcome{PullOutcome::Kind::kMerged, OidHex(merge_id), outcome.new_records};
}

}  // namespace assay
