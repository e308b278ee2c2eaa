#include "ops/trust_ops.h"

#include <optional>
#include <set>

#include "ops/private_folder.h"
#include "sign/minisign_key.h"

namespace assay {
namespace {

Result<std::set<TrustRole>> ParseRoleNames(const std::vector<std::string>& names) {
  std::set<TrustRole> roles;
  for (const std::string& name : names) {
    std::optional<TrustRole> role = ParseTrustRole(name);
    if (!role) return Status::InvalidInput("unknown role '" + name + "' (expected vendor, evaluator, witness, observer or host)");
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

Result<MinisignPublicKey> KeyToTrust(FileSystem& fs, const TrustAddRequest& request) {
  if (!request.key_file.empty()) return LoadMinisignPublicKeyFile(fs, request.key_file);
  if (request.public_key.empty()) {
    return Status::InvalidInput("no key given").WithHint("pass --key-file PUB or --public-key BASE64");
  }
  Result<MinisignPublicKey> key = DecodeMinisignPublicKey(request.public_key);
  if (!key.ok()) return key.status().WithContext("--public-key");
  return key;
}

Status SaveTrustFile(FileSystem& fs, const std::string& path, const TrustFile& trust) {
  ASSAY_RETURN_IF_ERROR(CreatePrivateFolderFor(fs, path));
  return fs.WriteFileAtomically(path, trust.Serialize(), 0644);
}

}  // namespace

Result<TrustAdded> TrustAdd(Context& context, const TrustAddRequest& request) {
  const std::string& path = context.paths.trust_file;
  ASSAY_ASSIGN_OR_RETURN(std::set<TrustRole> roles, ParseRoleNames(request.roles));
  ASSAY_ASSIGN_OR_RETURN(std::optional<UtcDate> valid_after, ParseDateFlag("--valid-after", request.valid_after));
  ASSAY_ASSIGN_OR_RETURN(std::optional<UtcDate> valid_before,
                         ParseDateFlag("--valid-before", request.valid_before));
  ASSAY_ASSIGN_OR_RETURN(MinisignPublicKey key, KeyToTrust(context.fs, request));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, path));
  Status added = trust.Add(TrustEntry{request.name, std::move(roles), key, valid_after, valid_before});
  if (!added.ok()) return added.WithContext(path);
  ASSAY_RETURN_IF_ERROR(SaveTrustFile(context.fs, path, trust));
  TrustAdded result{*trust.Find(key.key), path, ""};
  result.validity_problem = ValidityProblem(result.entry, context.NowUnixSeconds());
  if (!result.validity_problem.empty()) {
    context.output.Warn("no signature by this key counts now: key " + result.validity_problem);
  }
  return result;
}

Result<TrustListing> TrustList(Context& context) {
  TrustListing listing{context.paths.trust_file, TrustFile(), context.NowUnixSeconds()};
  ASSAY_ASSIGN_OR_RETURN(listing.trust, TrustFile::Load(context.fs, listing.trust_file));
  return listing;
}

Result<TrustRemoved> TrustRemove(Context& context, const std::string& name) {
  const std::string& path = context.paths.trust_file;
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, path));
  const size_t removed = trust.RemoveName(name);
  if (removed == 0) return Status::InvalidInput(path + ": no key named '" + name + "' (see 'assay trust list')");
  ASSAY_RETURN_IF_ERROR(SaveTrustFile(context.fs, path, trust));
  return TrustRemoved{name, removed, path};
}

Result<TrustExported> TrustExport(Context& context, const TrustExportRequest& request) {
  const std::string& path = context.paths.trust_file;
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, path));
  if (trust.entries().empty()) {
    context.output.Warn(path + " lists no keys, so the allowed_signers file trusts nobody");
  }
  TrustExported exported{trust.ToAllowedSigners(), ""};
  if (request.output_path.empty()) return exported;
  // A derived file, regenerated whenever the trust file changes: replaced, not refused.
  ASSAY_RETURN_IF_ERROR(context.fs.WriteFileAtomically(request.output_path, exported.text, 0644));
  exported.written_to = request.output_path;
  return exported;
}

}  // namespace assay
