#include "sign/trust_file.h"

#include <algorithm>
#include <cstdio>

#include "sign/openssh_key.h"

namespace assay {
namespace {

constexpr size_t kMaxNameSize = 64;
constexpr std::string_view kValidAfter = "valid-after";
constexpr std::string_view kValidBefore = "valid-before";
constexpr TrustRole kAllRoles[] = {TrustRole::kVendor, TrustRole::kEvaluator, TrustRole::kWitness, TrustRole::kObserver,
                                    TrustRole::kHost};

bool IsAlphanumeric(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Also keeps the name free of ssh pattern characters (* ? ! ,) and quotes,
// so it can stand as an allowed_signers principal unchanged.
Status CheckName(std::string_view name) {
  bool valid =
      !name.empty() && name.size() <= kMaxNameSize && IsAlphanumeric(name[0]) &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return IsAlphanumeric(c) || std::string_view("._@+-").find(c) != std::string_view::npos;
      });
  if (valid) return Status::Ok();
  return Status::InvalidInput("invalid name '" + std::string(name) +
                              "' (1-64 of A-Z a-z 0-9 . _ @ + -, starting with a letter or digit)");
}

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while ((start = line.find_first_not_of(" \t", start)) != std::string_view::npos) {
    size_t end = line.find_first_of(" \t", start);
    fields.push_back(line.substr(start, end - start));
    start = end;
  }
  return fields;
}

Result<std::set<TrustRole>> ParseRoles(std::string_view text) {
  std::set<TrustRole> roles;
  while (true) {
    size_t comma = text.find(',');
    std::string_view name = text.substr(0, comma);
    std::optional<TrustRole> role = ParseTrustRole(name);
    if (!role) {
      return Status::InvalidInput("unknown role '" + std::string(name) +
                                  "' (expected vendor, evaluator, witness, observer or host)");
    }
    if (!roles.insert(*role).second) {
      return Status::InvalidInput("role '" + std::string(name) + "' is listed twice");
    }
    if (comma == std::string_view::npos) return roles;
    text.remove_prefix(comma + 1);
  }
}

// Sets `date` from an option's value; each option may be given once.
Status ParseDateOption(std::string_view name, std::string_view value,
                       std::optional<UtcDate>& date) {
  if (date) return Status::InvalidInput(std::string(name) + " is given twice");
  date = UtcDate::Parse(value);
  if (date) return Status::Ok();
  return Status::InvalidInput("invalid date in '" + std::string(name) + "=" + std::string(value) +
                              "' (expected YYYYMMDD, a real date from 1970)");
}

Result<TrustEntry> ParseEntry(std::string_view line) {
  std::vector<std::string_view> fields = SplitFields(line);
  if (fields.size() < 3) {
    return Status::InvalidInput(
        "expected NAME ROLES KEY [valid-after=YYYYMMDD] [valid-before=YYYYMMDD]");
  }
  ASSAY_ASSIGN_OR_RETURN(std::set<TrustRole> roles, ParseRoles(fields[1]));
  Result<MinisignPublicKey> key = DecodeMinisignPublicKey(fields[2]);
  if (!key.ok()) return Status::InvalidInput("key: " + key.status().message());
  TrustEntry entry{std::string(fields[0]), std::move(roles), *key, std::nullopt, std::nullopt};
  for (size_t i = 3; i < fields.size(); ++i) {
    size_t equals = fields[i].find('=');
    std::string_view name = fields[i].substr(0, equals);
    std::string_view value = equals == std::string_view::npos ? "" : fields[i].substr(equals + 1);
    if (equals != std::string_view::npos && name == kValidAfter) {
      ASSAY_RETURN_IF_ERROR(ParseDateOption(name, value, entry.valid_after));
    } else if (equals != std::string_view::npos && name == kValidBefore) {
      ASSAY_RETURN_IF_ERROR(ParseDateOption(name, value, entry.valid_before));
    } else {
      return Status::InvalidInput("unknown option '" + std::string(fields[i]) +
                                  "' (expected valid-after= or valid-before=)");
    }
  }
  return entry;
}

std::string JoinRoles(const std::set<TrustRole>& roles) {
  std::string text;
  for (TrustRole role : roles) {  // std::set keeps the enum's order: vendor, evaluator, witness, observer, host
    if (!text.empty()) text += ',';
    text += TrustRoleName(role);
  }
  return text;
}

// " from 2024-01-01 until 2025-01-01", for messages.
bool SortsBefore(const TrustEntry& a, const TrustEntry& b) {
  if (a.name != b.name) return a.name < b.name;
  return a.key.key.bytes() < b.key.key.bytes();
}

std::string FormatTime(int64_t unix_seconds) {
  UtcDate date = UtcDate::FromUnixSeconds(unix_seconds);
  int64_t second_of_day = unix_seconds - date.ToUnixSeconds();
  char text[16];
  std::snprintf(text, sizeof text, "T%02d:%02d:%02dZ", static_cast<int>(second_of_day / 3600),
                static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60));
  return date.ToIso() + text;
}

}  // namespace

std::string_view TrustRoleName(TrustRole role) {
  switch (role) {
    case TrustRole::kVendor:
      return "vendor";
    case TrustRole::kEvaluator:
      return "evaluator";
    case TrustRole::kWitness:
      return "witness";
    case TrustRole::kObserver:
      return "observer";
    case TrustRole::kHost:
      return "host";
  }
  return "";
}

std::optional<TrustRole> ParseTrustRole(std::string_view name) {
  for (TrustRole role : kAllRoles) {
    if (TrustRoleName(role) == name) return role;
  }
  return std::nullopt;
}

std::string ValidityRange(const TrustEntry& entry) {
  std::string range;
  if (entry.valid_after) range += " from " + entry.valid_after->ToIso();
  if (entry.valid_before) range += " until " + entry.valid_before->ToIso();
  return range;
}

std::string RoleList(const TrustEntry& entry) {
  std::string text;
  for (TrustRole role : entry.roles) {  // std::set keeps the enum's order
    if (!text.empty()) text += ',';
    text += TrustRoleName(role);
  }
  return text;
}

std::string DescribeSigner(const TrustEntry& entry) {
  return entry.name + " (" + RoleList(entry) + "), key " + FormatMinisignKeyId(entry.key.key_id);
}

std::string ValidityProblem(const TrustEntry& entry, int64_t unix_seconds) {
  // The same inclusive bounds as TrustEntry::IsValidAt (docs/spec/signing.md, The trust file).
  if (entry.valid_before && unix_seconds > entry.valid_before->ToUnixSeconds()) {
    return "expired on " + entry.valid_before->ToIso();
  }
  if (entry.valid_after && unix_seconds < entry.valid_after->ToUnixSeconds()) {
    return "not valid until " + entry.valid_after->ToIso();
  }
  return "";
}

bool TrustEntry::IsValidAt(int64_t unix_seconds) const {
  if (valid_after && unix_seconds < valid_after->ToUnixSeconds()) return false;
  if (valid_before && unix_seconds > valid_before->ToUnixSeconds()) return false;
  return true;
}

Result<TrustFile> TrustFile::Parse(std::string_view text) {
  TrustFile file;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    Result<TrustEntry> entry = ParseEntry(line);
    Status status = entry.ok() ? file.Add(std::move(entry).value()) : entry.status();
    if (!status.ok()) return status.WithContext("line " + std::to_string(line_number));
  }
  return file;
}

std::string TrustFile::Serialize() const {
  std::string text =
      "# assay trust file: NAME ROLES KEY [valid-after=YYYYMMDD] [valid-before=YYYYMMDD]\n";
  for (const TrustEntry& entry : entries_) {
    text += entry.name + " " + JoinRoles(entry.roles) + " " + EncodeMinisignPublicKey(entry.key);
    if (entry.valid_after) {
      text += " " + std::string(kValidAfter) + "=" + entry.valid_after->ToCompact();
    }
    if (entry.valid_before) {
      text += " " + std::string(kValidBefore) + "=" + entry.valid_before->ToCompact();
    }
    text += "\n";
  }
  return text;
}

Result<TrustFile> TrustFile::Load(FileSystem& fs, const std::string& path) {
  // Trust files are a line per key; this bounds a hostile one.
  constexpr uint64_t kMaxTrustFileBytes = 16u << 20;
  if (Result<FileInfo> info = fs.LinkStatus(path); !info.ok()) return TrustFile();
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs, path, kMaxTrustFileBytes));
  Result<TrustFile> trust = Parse(text);
  if (!trust.ok()) return trust.status().WithContext(path);
  return trust;
}

Status TrustFile::Add(TrustEntry entry) {
  ASSAY_RETURN_IF_ERROR(CheckName(entry.name));
  if (entry.roles.empty()) return Status::InvalidInput("no role given for '" + entry.name + "'");
  if (entry.valid_after && entry.valid_before && *entry.valid_after >= *entry.valid_before) {
    return Status::InvalidInput("valid-after " + entry.valid_after->ToCompact() +
                                " is not earlier than valid-before " +
                                entry.valid_before->ToCompact());
  }
  if (const TrustEntry* existing = Find(entry.key.key)) {
    return Status::InvalidInput("key " + FormatMinisignKeyId(entry.key.key_id) +
                                " is already trusted as '" + existing->name + "'");
  }
  auto position = std::upper_bound(entries_.begin(), entries_.end(), entry, SortsBefore);
  entries_.insert(position, std::move(entry));
  return Status::Ok();
}

size_t TrustFile::RemoveName(std::string_view name) {
  return std::erase_if(entries_, [&](const TrustEntry& entry) { return entry.name == name; });
}

bool TrustFile::RemoveKey(const Ed25519PublicKey& key) {
  return std::erase_if(entries_, [&](const TrustEntry& entry) { return entry.key.key == key; }) > 0;
}

const TrustEntry* TrustFile::Find(const Ed25519PublicKey& key) const {
  for (const TrustEntry& entry : entries_) {
    if (entry.key.key == key) return &entry;
  }
  return nullptr;
}

Result<const TrustEntry*> TrustFile::Authorize(const Ed25519PublicKey& key,
                                               std::optional<TrustRole> role,
                                               int64_t unix_seconds) const {
  const TrustEntry* entry = Find(key);
  if (entry == nullptr) {
    return Status::CheckFailed("key " + SshFingerprint(key) + " is not in the trust file");
  }
  std::string who = "'" + entry->name + "' (key " + FormatMinisignKeyId(entry->key.key_id) + ")";
  if (role && !entry->HasRole(*role)) {
    return Status::CheckFailed(who + " is not trusted as " + std::string(TrustRoleName(*role)));
  }
  if (!entry->IsValidAt(unix_seconds)) {
    return Status::CheckFailed(who + " is trusted" + ValidityRange(*entry) + ", not at " +
                               FormatTime(unix_seconds));
  }
  return entry;
}

std::string TrustFile::ToAllowedSigners(std::span<const std::string> namespaces) const {
  std::string text = "# allowed_signers generated by assay from its trust file\n";
  for (const TrustEntry& entry : entries_) {
    AllowedSignerOptions options{std::vector<std::string>(namespaces.begin(), namespaces.end()),
                                 entry.valid_after, entry.valid_before};
    text += FormatAllowedSignersLine(entry.name, options, entry.key.key) + "\n";
  }
  return text;
}

}  // namespace assay
