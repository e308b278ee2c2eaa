#include "ledger/ledger_verification.h"

#include "sign/openssh_key.h"
#include "record/record_check.h"
#include "sign/sshsig.h"

namespace assay {
namespace {

std::vector<Ed25519PublicKey> TrustedKeys(const TrustFile& trust) {
  std::vector<Ed25519PublicKey> keys;
  for (const TrustEntry& entry : trust.entries()) keys.push_back(entry.key.key);
  return keys;
}

// Every commit reachable from the head, merges' second parents included.
Result<std::vector<std::string>> AllCommits(const LedgerStore& ledger, const std::string& head) {
  git_revwalk* raw = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_revwalk_new(&raw, ledger.repository()), ledger.path() + ": ledger history"));
  GitRevwalk walk(raw);
  git_oid id;
  git_oid_fromstr(&id, head.c_str());
  ASSAY_RETURN_IF_ERROR(GitStatus(git_revwalk_push(raw, &id), ledger.path() + ": ledger history"));
  std::vector<std::string> commits;
  while (git_revwalk_next(&id, raw) == 0) commits.push_back(OidHex(id));
  return commits;
}

}  // namespace

Result<const TrustEntry*> VerifyCommitSignature(const LedgerStore& ledger, const std::string& commit,
                                                const TrustFile& trust) {
  git_oid id;
  if (git_oid_fromstr(&id, commit.c_str()) != 0) return Status::InvalidInput("not a commit id: " + commit);
  git_buf signature = GIT_BUF_INIT;
  git_buf signed_data = GIT_BUF_INIT;
  if (git_commit_extract_signature(&signature, &signed_data, ledger.repository(), &id, "gpgsig") != 0) {
    git_buf_dispose(&signature);
    git_buf_dispose(&signed_data);
    return Status::CheckFailed(ledger.path() + ": ledger commit " + commit + " is not signed");
  }
  std::string armored(signature.ptr, signature.size);
  std::string message(signed_data.ptr, signed_data.size);
  git_buf_dispose(&signature);
  git_buf_dispose(&signed_data);

  ASSAY_ASSIGN_OR_RETURN(GitCommit owned, LookupCommit(ledger.repository(), id));
  const int64_t commit_time = static_cast<int64_t>(git_commit_time(owned.get()));

  std::vector<Ed25519PublicKey> keys = TrustedKeys(trust);
  Result<size_t> signer = VerifySshsig(armored, kGitSshsigNamespace, message, keys);
  if (!signer.ok()) {
    if (signer.status().kind() != ErrorKind::kCheckFailed) return signer.status().WithContext(ledger.path() + ": ledger commit " + commit);
    return Status::CheckFailed(ledger.path() + ": ledger commit " + commit + ": " + signer.status().message());
  }
  // git checks allowed_signers validity at the committer timestamp (INTEROP.md); so do we.
  Result<const TrustEntry*> entry = trust.Authorize(keys[*signer], std::nullopt, commit_time);
  if (!entry.ok()) return Status::CheckFailed(ledger.path() + ": ledger commit " + commit + ": " + entry.status().message());
  return entry;
}

Result<LedgerReport> VerifyLedger(const LedgerStore& ledger, const TrustFile& trust,
                                  std::optional<std::string> head, ProgressSink* progress) {
  LedgerReport report;
  if (!head) {
    ASSAY_ASSIGN_OR_RETURN(head, ledger.Head());
  }
  if (!head) return report;
  report.head = *head;

  ASSAY_RETURN_IF_ERROR(ledger.ForEachRecord(
      [&](const LedgerEntry& entry) -> Status {
    // A key valid when the record was appended keeps its records valid after
    // it expires: rotating keys must not invalidate history.
    RecordPolicy policy;
    policy.now_unix_seconds = entry.commit_time;
    Result<CheckedRecord> record = RequireCounts(CheckRecord(entry.envelope, trust, policy));
    if (!record.ok()) {
      // A stored record that does not parse is a broken ledger, not bad user input.
      return Status::CheckFailed(ledger.path() + ": record " + entry.record_id + " (commit " + entry.commit +
                                 "): " + record.status().message());
    }
    if (record->id != entry.record_id) {
      return Status::CheckFailed(ledger.path() + ": record at " + RecordPath(entry.record_id) + " (commit " + entry.commit +
                                 ") holds record " + record->id + ": its path does not match its content");
    }
    report.record_ids.push_back(entry.record_id);
    if (progress != nullptr) progress->AddHashedBytes(1);
    return Status::Ok();
      },
      *head));

  ASSAY_ASSIGN_OR_RETURN(std::vector<std::string> commits, AllCommits(ledger, *head));
  for (const std::string& commit : commits) {
    ASSAY_RETURN_IF_ERROR(VerifyCommitSignature(ledger, commit, trust).status());
    if (progress != nullptr) progress->AddHashedBytes(1);
  }
  report.commits = commits.size();
  return report;
}

}  // namespace assay
