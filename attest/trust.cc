// assay trust add | list | remove | export: flags -> TrustAdd, TrustList,
// TrustRemove, TrustExport (src/ops/trust_ops.h) -> render/trust_render.h.
#include <memory>

#include "cli/command.h"
#include "ops/trust_ops.h"
#include "render/trust_render.h"

namespace assay::cli {
namespace {

void AddAdd(CLI::App& trust, CommandLine& cli) {
  auto request = std::make_shared<TrustAddRequest>();
  CLI::App* command = trust.add_subcommand("add", "trust a public key under a name, for some roles");
  command->add_option("NAME", request->name, "who holds the key (also the allowed_signers principal)")
      ->required();
  command->add_option("--role", request->roles, "vendor, evaluator, witness, observer, host (comma-separated)")
      ->required()
      ->delimiter(',');
  CLI::Option* key_file = command->add_option("--key-file", request->key_file, "the key's minisign .pub file");
  CLI::Option* public_key =
      command->add_option("--public-key", request->public_key, "the key's one-line base64 (RWQ...)");
  key_file->excludes(public_key);
  command->add_option("--valid-after", request->valid_after, "trusted from this UTC day (YYYYMMDD)");
  command->add_option("--valid-before", request->valid_before, "trusted until this UTC day (YYYYMMDD)");
  cli.AddTrustFlag(command, "trust file");
  cli.OnRun(command, [request](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(TrustAdded added, TrustAdd(context, *request));
    Emit(RenderText(added));
    return Status::Ok();
  });
}

void AddList(CLI::App& trust, CommandLine& cli) {
  CLI::App* command = trust.add_subcommand("list", "list the trusted keys");
  cli.AddJsonFlag(command, "print one JSON object");
  cli.AddTrustFlag(command, "trust file");
  cli.OnRun(command, [&cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(TrustListing listing, TrustList(context));
    if (cli.flags.json) {
      EmitJson(RenderJson(listing));
      return Status::Ok();
    }
    if (listing.trust.entries().empty()) {
      PrintTo(stderr, "hint: %s lists no keys; add one with 'assay trust add NAME --role ROLE --key-file PUB'\n",
              listing.trust_file);
    }
    Emit(RenderText(listing));
    return Status::Ok();
  });
}

void AddRemove(CLI::App& trust, CommandLine& cli) {
  auto name = std::make_shared<std::string>();
  CLI::App* command = trust.add_subcommand("remove", "stop trusting every key of a name");
  command->add_option("NAME", *name, "the name given to 'trust add'")->required();
  cli.AddTrustFlag(command, "trust file");
  cli.OnRun(command, [name](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(TrustRemoved removed, TrustRemove(context, *name));
    Emit(RenderText(removed));
    return Status::Ok();
  });
}

void AddExport(CLI::App& trust, CommandLine& cli) {
  auto request = std::make_shared<TrustExportRequest>();
  CLI::App* command =
      trust.add_subcommand("export", "print the trust file as ssh allowed_signers (for git, ssh-keygen)");
  command->add_option("-o,--output", request->output_path, "write to this file instead of stdout");
  cli.AddTrustFlag(command, "trust file");
  cli.OnRun(command, [request](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(TrustExported exported, TrustExport(context, *request));
    EmitVerbatim(RenderText(exported));  // the file itself, unless written to one
    return Status::Ok();
  });
}

}  // namespace

void AddTrustCommand(CLI::App& app, CommandLine& cli) {
  CLI::App* trust = app.add_subcommand("trust", "whose keys you trust: trust add | list | remove | export");
  trust->require_subcommand(1);
  AddAdd(*trust, cli);
  AddList(*trust, cli);
  AddRemove(*trust, cli);
  AddExport(*trust, cli);
}

}  // namespace assay::cli
