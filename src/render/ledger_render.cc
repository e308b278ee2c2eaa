#include "render/ledger_render.h"

#include "render/revocation_render.h"
#include "render/text.h"

namespace assay {

using nlohmann::json;

std::string RenderText(const InitializedLedger& initialized) { return Format("ledger     %s\n", initialized.path); }

std::string RenderText(const ReindexedLedger& reindexed) {
  std::string text = Format("reindexed  %llu records of %s\ndigest     %s\n",
                            static_cast<unsigned long long>(reindexed.records), reindexed.ledger, reindexed.digest);
  if (reindexed.before) {
    text += Format("previous   %s (%s)\n", *reindexed.before,
                   *reindexed.before == reindexed.digest ? "identical" : "differed");
  } else {
    text += "previous   none usable (missing, or its history was rewritten)\n";
  }
  return text;
}

std::string RenderText(const LedgerLog& log, bool long_ids) {
  std::string text;
  for (const LogEntry& entry : log.entries) {
    std::string headline = entry.headline;
    // "observation hf:org/name@COMMIT": the commit as git's short form.
    if (const size_t at = headline.rfind('@'); !long_ids && headline.starts_with("observation ") && at != std::string::npos) {
      headline = headline.substr(0, std::min(headline.size(), at + 13));
    }
    text += Format("%6llu  %s  %s  %s%s%s", static_cast<unsigned long long>(entry.record.position),
                   long_ids ? entry.record.id : entry.record.id.substr(0, 16),
                   long_ids ? entry.record.commit : entry.record.commit.substr(0, 12), headline,
                   entry.counts() ? "" : "  ", entry.mark) +
            WithdrawnText(entry.withdrawn ? &*entry.withdrawn : nullptr) + "\n";
  }
  return text;
}

json RenderJson(const LedgerLog& log) {
  json out = json::array();
  for (const LogEntry& entry : log.entries) {
    json one = {{"position", entry.record.position},
                {"id", entry.record.id},
                {"commit", entry.record.commit},
                {"kind", RecordKindName(entry.record.kind)},
                {"predicateType", entry.record.predicate_type},
                {"summary", entry.headline},
                {"counts", entry.counts()}};
    if (!entry.counts()) one["problem"] = entry.mark + ": " + entry.reason;
    if (entry.withdrawn) one["withdrawn"] = WithdrawnJson(&*entry.withdrawn);
    out.push_back(std::move(one));
  }
  return out;
}

std::string RenderText(const ShownRecord& shown) {
  std::string text = Format("record     %s\n", shown.record.id);
  text += Format("position   %llu, added in commit %s\n", static_cast<unsigned long long>(shown.record.position),
                 shown.record.commit);
  if (shown.record.problem) {
    text += Format("INVALID    not a well-formed record: %s\n", *shown.record.problem);
    return text;
  }
  if (!shown.summary) return text;
  const RecordSummary& summary = *shown.summary;
  text += Format("kind       %s (%s)\n", shown.headline, summary.predicate_type);
  if (shown.withdrawn) text += Format("withdrawn  %s\n", WithdrawalText(*shown.withdrawn));
  for (const std::string& keyid : summary.signature_keyids) text += Format("signature  keyid %s\n", keyid);
  for (const SubjectDigest& subject : summary.subjects) {
    text += Format("subject    %s %s:%s\n", subject.name, subject.algorithm, subject.digest);
  }
  text += "hint: 'assay verify model' checks the signature against your trust file\n";
  return text;
}

json RenderJson(const ShownRecord& shown) { return shown.statement.value_or(json::object()); }

std::string RenderText(const LedgerVerification& verification) {
  const LedgerReport& report = verification.report;
  std::string text = Format("ledger     %s\n", verification.ledger);
  text += Format("head       %s\n", report.head.empty() ? std::string("(no records yet)") : report.head);
  text += Format("records    %zu\n", report.record_ids.size());
  text += Format("commits    %llu\n", static_cast<unsigned long long>(report.commits));
  text += "verified   every commit only adds records; every record and commit is signed by a trusted key\n";
  if (!verification.checkpoint) return text;
  const CheckpointFinding& finding = *verification.checkpoint;
  std::string signers;
  for (const std::string& name : finding.checked.signers) signers += (signers.empty() ? "" : ", ") + name;
  text += Format("checkpoint %s: %llu records at %s, signed by %s\n", finding.checked.checkpoint.origin,
                 static_cast<unsigned long long>(finding.checked.checkpoint.size),
                 finding.checked.commit.substr(0, 12), signers);
  for (const std::string& cosigner : finding.cosigners) text += Format("cosigned   by %s\n", cosigner);
  text += Format("extends    the ledger still holds that history: its first %llu records have that root\n",
                 static_cast<unsigned long long>(finding.checked.checkpoint.size));
  return text;
}

// The note as signed: its bytes are the signature's, shown as they are (its
// text was checked when it was parsed and signed).
std::string RenderText(const SignedCheckpoint& checkpoint) {
  if (checkpoint.written.empty()) return checkpoint.note;
  return Format("written to %s\n", checkpoint.written);
}

std::string RenderText(const AddedRemote& added) { return Format("remote     %s = %s\n", added.name, added.url); }

std::string RenderText(const PushedLedger& pushed) {
  return Format("pushed     %s to %s\n", pushed.head ? pushed.head->substr(0, 12) : std::string("(nothing)"),
                pushed.remote);
}

std::string RenderText(const PulledLedger& pulled) {
  const char* what = pulled.outcome.kind == PullOutcome::Kind::kMerged        ? "merged"
                     : pulled.outcome.kind == PullOutcome::Kind::kFastForward ? "fast-forwarded"
                                                                              : "already up to date";
  return Format("pulled     %s: %s, %llu new records verified, head %s\n", pulled.remote, what,
                static_cast<unsigned long long>(pulled.outcome.new_records), pulled.outcome.head.substr(0, 12));
}

}  // namespace assay
