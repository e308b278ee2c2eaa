// assay trust add | list | remove | export: the trust file, the public keys
// assay accepts signatures from, by name and role (docs/spec/signing.md, The
// trust file; docs/usage.md). Every change rewrites the file atomically in
// its canonical form.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "attest/trust.h"
#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/private_folder.h"
#include "cli/trust_report.h"
#include "sign/minisign_key.h"
#include "sign/openssh_key.h"

namespace assay::cli {
namespace {

struct ListOptions {
  std::string trust_path;
  bool json = false;
};

struct RemoveOptions {
  std::string trust_path;
  std::string name;
};

struct TrustExportOptions {
  std::string trust_path;
  std::string output_path;
};

void AddTrustFileOption(CLI::App& command, std::string& path) {
  command.add_option("--trust", path, "trust file (env ASSAY_TRUST_FILE; default CONFIG/trust)");
}

Result<std::set<TrustRole>> ParseRoles(const std::vector<std::string>& names) {
  std::set<TrustRole> roles;
  for (const std::string& name : names) {
    std::optional<TrustRole> role = ParseTrustRole(name);
    if (!role) {
      return Status::InvalidInput("unknown role '" + name + "' (expected vendor, evaluator or witness)");
    }
    roles.insert(*role);
  }
  return roles;
}

Result<std::optional<UtcDate>> ParseDateFlag(std::string_view flag, const std::string& value) {
  if (value.empty()) return std::optional<UtcDate>();
  std::optional<UtcDate> date = UtcDate::Parse(value);
  if (!date) {
    return Status::InvalidInput(std::string(flag) + ": invalid date '" + value +
                                "' (expected YYYYMMDD, a real date from 1970)");
  }
  return date;
}

Result<MinisignPublicKey> KeyToTrust(const TrustAddOptions& options) {
  if (!options.key_file.empty()) return LoadMinisignPublicKeyFile(LocalFileSystem(), options.key_file);
  if (options.public_key.empty()) {
    return Status::InvalidInput("no key given; pass --key-file PUB or --public-key BASE64");
  }
  Result<MinisignPublicKey> key = DecodeMinisignPublicKey(options.public_key);
  if (!key.ok()) return key.status().WithContext("--public-key");
  return key;
}

Status SaveTrustFile(const std::string& path, const TrustFile& trust) {
  ASSAY_RETURN_IF_ERROR(CreatePrivateFolderFor(path));
  return LocalFileSystem().WriteFileAtomically(path, trust.Serialize(), 0644);
}

// " from 2024-01-01 until 2025-01-01", or "" for a key with no dates.
std::string ValidityRange(const TrustEntry& entry) {
  std::string range;
  if (entry.valid_after) range += " from " + entry.valid_after->ToIso();
  if (entry.valid_before) range += " until " + entry.valid_before->ToIso();
  return range;
}


void PrintTable(const TrustFile& trust) {
  size_t name_width = 0;
  size_t roles_width = 0;
  for (const TrustEntry& entry : trust.entries()) {
    name_width = std::max(name_width, entry.name.size());
    roles_width = std::max(roles_width, RoleList(entry).size());
  }
  const int64_t now = NowUnixSeconds();
  for (const TrustEntry& entry : trust.entries()) {
    std::string validity = ValidityRange(entry);  // " from ... until ..."
    if (!validity.empty()) validity = " " + validity;
    if (std::string problem = ValidityProblem(entry, now); !problem.empty()) validity += " (" + problem + ")";
    Print("%-*s  %-*s  %s  %s%s\n", static_cast<int>(name_width), entry.name,
                static_cast<int>(roles_width), RoleList(entry),
                FormatMinisignKeyId(entry.key.key_id), SshFingerprint(entry.key.key),
                validity);
  }
}

Status RunList(const ListOptions& options) {
  const std::string path = TrustFilePath(options.trust_path);
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(path));
  if (options.json) {
    nlohmann::json entries = nlohmann::json::array();
    for (const TrustEntry& entry : trust.entries()) entries.push_back(TrustEntryJson(entry));
    std::printf("%s\n", nlohmann::json{{"trust_file", path}, {"entries", entries}}.dump().c_str());
    return Status::Ok();
  }
  if (trust.entries().empty()) {
    std::fprintf(stderr,
                 "hint: %s lists no keys; add one with 'assay trust add NAME --role ROLE --key-file PUB'\n",
                 path.c_str());
  }
  PrintTable(trust);
  return Status::Ok();
}

Status RunRemove(const RemoveOptions& options) {
  const std::string path = TrustFilePath(options.trust_path);
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(path));
  size_t removed = trust.RemoveName(options.name);
  if (removed == 0) {
    return Status::InvalidInput(path + ": no key named '" + options.name + "' (see 'assay trust list')");
  }
  ASSAY_RETURN_IF_ERROR(SaveTrustFile(path, trust));
  Print("removed %zu key%s named %s from %s\n", removed, removed == 1 ? "" : "s",
              options.name, path);
  return Status::Ok();
}

Status RunExport(const TrustExportOptions& options) {
  const std::string path = TrustFilePath(options.trust_path);
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(path));
  if (trust.entries().empty()) Warn(path + " lists no keys, so the allowed_signers file trusts nobody");
  const std::string text = trust.ToAllowedSigners();
  if (options.output_path.empty()) {
    std::fputs(text.c_str(), stdout);
    return Status::Ok();
  }
  // A derived file, regenerated whenever the trust file changes: replaced, not refused.
  ASSAY_RETURN_IF_ERROR(LocalFileSystem().WriteFileAtomically(options.output_path, text, 0644));
  Print("written to %s\n", options.output_path);
  return Status::Ok();
}

void AddAdd(CLI::App& trust, Status& outcome) {
  auto options = std::make_shared<TrustAddOptions>();
  CLI::App* command = trust.add_subcommand("add", "trust a public key under a name, for some roles");
  command->add_option("NAME", options->name, "who holds the key (also the allowed_signers principal)")
      ->required();
  command->add_option("--role", options->roles, "vendor, evaluator, witness (comma-separated)")
      ->required()
      ->delimiter(',');
  CLI::Option* key_file =
      command->add_option("--key-file", options->key_file, "the key's minisign .pub file");
  CLI::Option* public_key =
      command->add_option("--public-key", options->public_key, "the key's one-line base64 (RWQ...)");
  key_file->excludes(public_key);
  command->add_option("--valid-after", options->valid_after, "trusted from this UTC day (YYYYMMDD)");
  command->add_option("--valid-before", options->valid_before, "trusted until this UTC day (YYYYMMDD)");
  AddTrustFileOption(*command, options->trust_path);
  command->callback([options, &outcome] { outcome = RunTrustAdd(*options); });
}

void AddList(CLI::App& trust, Status& outcome) {
  auto options = std::make_shared<ListOptions>();
  CLI::App* command = trust.add_subcommand("list", "list the trusted keys");
  command->add_flag("--json", options->json, "print one JSON object");
  AddTrustFileOption(*command, options->trust_path);
  command->callback([options, &outcome] { outcome = RunList(*options); });
}

void AddRemove(CLI::App& trust, Status& outcome) {
  auto options = std::make_shared<RemoveOptions>();
  CLI::App* command = trust.add_subcommand("remove", "stop trusting every key of a name");
  command->add_option("NAME", options->name, "the name given to 'trust add'")->required();
  AddTrustFileOption(*command, options->trust_path);
  command->callback([options, &outcome] { outcome = RunRemove(*options); });
}

void AddExport(CLI::App& trust, Status& outcome) {
  auto options = std::make_shared<TrustExportOptions>();
  CLI::App* command =
      trust.add_subcommand("export", "print the trust file as ssh allowed_signers (for git, ssh-keygen)");
  command->add_option("-o,--output", options->output_path, "write to this file instead of stdout");
  AddTrustFileOption(*command, options->trust_path);
  command->callback([options, &outcome] { outcome = RunExport(*options); });
}

}  // namespace

Status RunTrustAdd(const TrustAddOptions& options) {
  const std::string path = TrustFilePath(options.trust_path);
  ASSAY_ASSIGN_OR_RETURN(std::set<TrustRole> roles, ParseRoles(options.roles));
  ASSAY_ASSIGN_OR_RETURN(std::optional<UtcDate> valid_after,
                         ParseDateFlag("--valid-after", options.valid_after));
  ASSAY_ASSIGN_OR_RETURN(std::optional<UtcDate> valid_before,
                         ParseDateFlag("--valid-before", options.valid_before));
  ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey key, KeyToTrust(options));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(path));
  Status added = trust.Add(TrustEntry{options.name, std::move(roles), key, valid_after, valid_before});
  if (!added.ok()) return added.WithContext(path);
  ASSAY_RETURN_IF_ERROR(SaveTrustFile(path, trust));
  const TrustEntry& stored = *trust.Find(key.key);
  if (std::string problem = ValidityProblem(stored, NowUnixSeconds()); !problem.empty()) {
    Warn("no signature by this key counts now: key " + problem);
  }
  std::string range = ValidityRange(stored);
  Print("trusted %s%s\n", DescribeSigner(stored), range.empty() ? "" : ("," + range));
  Print("in      %s\n", path);
  return Status::Ok();
}


void AddTrustCommand(CLI::App& app, Status& outcome) {
  CLI::App* trust = app.add_subcommand("trust", "whose keys you trust: trust add | list | remove | export");
  trust->require_subcommand(1);
  AddAdd(*trust, outcome);
  AddList(*trust, outcome);
  AddRemove(*trust, outcome);
  AddExport(*trust, outcome);
}

}  // namespace assay::cli
