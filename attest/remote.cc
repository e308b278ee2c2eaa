// assay remote add | push | pull: share a ledger through any git remote
// (docs/spec/ledger.md). Pull verifies everything it fetched before the local
// ledger changes, and signs the merge commit with the puller's key.
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/trust_report.h"
#include "ledger/index_sync.h"
#include "ledger/ledger_sync.h"

namespace assay::cli {
namespace {

struct RemoteOptions {
  LedgerOptions ledger;
  std::string name = "origin";
  std::string url;
  KeyOptions key;
  std::string trust_path;
};

Status RunRemoteAdd(const RemoteOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_RETURN_IF_ERROR(AddLedgerRemote(*ledger, options.name, options.url));
  Print("remote     %s = %s\n", options.name, options.url);
  return Status::Ok();
}

Status RunPush(const RemoteOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, LedgerLock::Acquire(ledger->path()));
  ASSAY_RETURN_IF_ERROR(PushLedger(*ledger, options.name));
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> head, ledger->Head());
  Print("pushed     %s to %s\n", head ? head->substr(0, 12) : "(nothing)", options.name);
  return Status::Ok();
}

Status RunPull(const RemoteOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(MinisignSecretKey key, LoadSigningKey(options.key));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.trust_path)));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  const TrustEntry* me = trust.Find(key.key().public_key());
  CommitSigner signer{&key.key(), me != nullptr ? me->name : "assay", FormatMinisignKeyId(key.key_id())};
  ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, LedgerLock::Acquire(ledger->path()));
  ASSAY_ASSIGN_OR_RETURN(std::vector<std::string> removed, ledger->RemoveStaleWriterFiles());
  for (const std::string& line : removed) Warn(line);
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(PullOutcome outcome, PullLedger(*ledger, options.name, trust, signer, NowUnixSeconds()));
  ASSAY_RETURN_IF_ERROR(SyncIndex(*ledger, *index));
  const char* what = outcome.kind == PullOutcome::Kind::kMerged        ? "merged"
                     : outcome.kind == PullOutcome::Kind::kFastForward ? "fast-forwarded"
                                                                       : "already up to date";
  Print("pulled     %s: %s, %llu new records verified, head %s\n", options.name, what,
              static_cast<unsigned long long>(outcome.new_records), outcome.head.substr(0, 12));
  return Status::Ok();
}

}  // namespace

void AddRemoteCommands(CLI::App& app, Status& outcome) {
  auto add = std::make_shared<RemoteOptions>();
  CLI::App* remote = app.add_subcommand("remote", "name a git remote to share the ledger with");
  remote->require_subcommand(1);
  CLI::App* remote_add = remote->add_subcommand("add", "add a remote: NAME URL");
  remote_add->add_option("NAME", add->name, "remote name")->required();
  remote_add->add_option("URL", add->url, "any git URL or path (file://, ssh, https)")->required();
  AddLedgerOption(*remote_add, add->ledger);
  remote_add->callback([add, &outcome] { outcome = RunRemoteAdd(*add); });

  auto push = std::make_shared<RemoteOptions>();
  CLI::App* push_command = app.add_subcommand("push", "push the ledger to a remote (default origin)");
  push_command->add_option("NAME", push->name, "remote name");
  AddLedgerOption(*push_command, push->ledger);
  push_command->callback([push, &outcome] { outcome = RunPush(*push); });

  auto pull = std::make_shared<RemoteOptions>();
  CLI::App* pull_command = app.add_subcommand("pull", "fetch, verify and merge a remote's ledger (default origin)");
  pull_command->add_option("NAME", pull->name, "remote name");
  AddLedgerOption(*pull_command, pull->ledger);
  AddKeyOptions(*pull_command, pull->key);
  pull_command->add_option("--trust", pull->trust_path, "trust file (env ASSAY_TRUST_FILE)");
  pull_command->callback([pull, &outcome] { outcome = RunPull(*pull); });
}

}  // namespace assay::cli
