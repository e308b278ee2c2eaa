// The trust file: which public keys assay trusts, under what name, for which
// roles and when, in the spirit of git's allowed_signers. One key per line:
//
//   # comment
//   NAME ROLES KEY [valid-after=YYYYMMDD] [valid-before=YYYYMMDD]
//
//   NAME   1-64 characters of A-Z a-z 0-9 . _ @ + -, starting with a letter
//          or digit (also the principal in an exported allowed_signers file)
//   ROLES  a comma list of vendor, evaluator, witness, observer, host; no repeats
//   KEY    a minisign public key in its one-line base64 form ("RWQ...")
//   dates  UTC days; a key is valid from 00:00:00 UTC on valid-after through
//          00:00:00 UTC on valid-before, inclusive, exactly as ssh-keygen
//          reads "YYYYMMDDZ"; valid-after must be earlier than valid-before
//
// Fields are separated by spaces or tabs; blank lines and lines whose first
// non-blank character is '#' are ignored. A key may appear only once; one
// name may hold several keys (rotation). docs/spec/signing.md has the grammar.
//
// Parsing is strict and names the line. Serialize writes a canonical file:
// comments are not kept, entries are sorted by name then key.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "file_system.h"
#include "sign/ed25519_key.h"
#include "sign/minisign_key.h"
#include "sign/utc_date.h"
#include "status.h"

namespace assay {

enum class TrustRole { kVendor, kEvaluator, kWitness, kObserver, kHost };

std::string_view TrustRoleName(TrustRole role);
std::optional<TrustRole> ParseTrustRole(std::string_view name);

struct TrustEntry {
  std::string name;
  std::set<TrustRole> roles;
  MinisignPublicKey key;
  std::optional<UtcDate> valid_after;
  std::optional<UtcDate> valid_before;

  bool HasRole(TrustRole role) const { return roles.count(role) != 0; }
  // Whether `unix_seconds` lies within the validity dates (inclusive).
  bool IsValidAt(int64_t unix_seconds) const;
};

// "vendor,evaluator": the roles in the trust file's canonical order.
std::string RoleList(const TrustEntry& entry);
// "acme (vendor,evaluator), key 6478672D87C83B1D": how a trusted signer
// reads, the same in every output (DESIGN.md, Keys and trust).
std::string DescribeSigner(const TrustEntry& entry);
// " from 2024-01-01 until 2025-01-01", or "" for a key with no dates.
std::string ValidityRange(const TrustEntry& entry);
// Why the entry is not valid at `unix_seconds` ("expired on 2024-01-01",
// "not valid until 2030-01-01"), or "" when it is.
std::string ValidityProblem(const TrustEntry& entry, int64_t unix_seconds);

// The SSHSIG namespaces assay's own signatures use: only git commits today.
inline const std::vector<std::string>& AssaySshNamespaces() {
  static const std::vector<std::string> namespaces = {"git"};
  return namespaces;
}

// Entries in memory. Not thread-safe for writing; const use is.
class TrustFile {
 public:
  // kInvalidInput "line N: ..." for the first bad line; the caller names the file.
  static Result<TrustFile> Parse(std::string_view text);
  // The file at `path`, or an empty trust file when there is none yet;
  // errors name the file.
  static Result<TrustFile> Load(FileSystem& fs, const std::string& path);
  // The canonical text, ending in a newline.
  std::string Serialize() const;

  // kInvalidInput for a bad name, no roles, dates out of order, or a key
  // already present.
  Status Add(TrustEntry entry);
  // Removes every entry with this name; returns how many.
  size_t RemoveName(std::string_view name);
  // Removes the entry holding `key`; returns whether there was one.
  bool RemoveKey(const Ed25519PublicKey& key);

  // Sorted by name, then by key.
  const std::vector<TrustEntry>& entries() const { return entries_; }
  const TrustEntry* Find(const Ed25519PublicKey& key) const;

  // The entry for `key` when it may act in `role` (any role, when none is
  // given) at `unix_seconds`. kCheckFailed saying why not: unknown key, role
  // not granted, or outside the validity dates.
  Result<const TrustEntry*> Authorize(const Ed25519PublicKey& key, std::optional<TrustRole> role,
                                      int64_t unix_seconds) const;

  // An ssh allowed_signers file (ssh-keygen(1)) for git and ssh-keygen -Y
  // verify: principal = NAME, namespaces as given, validity dates carried over.
  std::string ToAllowedSigners(
      std::span<const std::string> namespaces = AssaySshNamespaces()) const;

 private:
  std::vector<TrustEntry> entries_;
};

}  // namespace assay
