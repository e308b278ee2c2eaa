// assay remote add | push | pull: share a ledger through any git remote
// (docs/spec/ledger.md). Flags -> AddRemote, PushToRemote or PullFromRemote
// (src/ops/ledger_ops.h) -> render/ledger_render.h.
#include <memory>

#include "cli/command.h"
#include "ops/ledger_ops.h"
#include "render/ledger_render.h"

namespace assay::cli {

void AddRemoteCommands(CLI::App& app, CommandLine& cli) {
  auto add = std::make_shared<RemoteRequest>();
  CLI::App* remote = app.add_subcommand("remote", "name a git remote to share the ledger with");
  remote->require_subcommand(1);
  CLI::App* remote_add = remote->add_subcommand("add", "add a remote: NAME URL");
  remote_add->add_option("NAME", add->name, "remote name")->required();
  remote_add->add_option("URL", add->url, "any git URL or path (file://, ssh, https)")->required();
  cli.AddLedgerFlag(remote_add);
  cli.AddCacheDirFlag(remote_add);
  cli.OnRun(remote_add, [add](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(AddedRemote added, AddRemote(context, *add));
    Emit(RenderText(added));
    return Status::Ok();
  });

  auto push = std::make_shared<RemoteRequest>();
  CLI::App* push_command = app.add_subcommand("push", "push the ledger to a remote (default origin)");
  push_command->add_option("NAME", push->name, "remote name");
  cli.AddLedgerFlag(push_command);
  cli.AddCacheDirFlag(push_command);
  cli.OnRun(push_command, [push](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(PushedLedger pushed, PushToRemote(context, *push));
    Emit(RenderText(pushed));
    return Status::Ok();
  });

  auto pull = std::make_shared<RemoteRequest>();
  CLI::App* pull_command = app.add_subcommand("pull", "fetch, verify and merge a remote's ledger (default origin)");
  pull_command->add_option("NAME", pull->name, "remote name");
  cli.AddLedgerFlag(pull_command);
  cli.AddCacheDirFlag(pull_command);
  cli.AddKeyFlags(pull_command);
  cli.AddTrustFlag(pull_command);
  cli.OnRun(pull_command, [pull](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(PulledLedger pulled, PullFromRemote(context, *pull));
    Emit(RenderText(pulled));
    return Status::Ok();
  });
}

}  // namespace assay::cli
