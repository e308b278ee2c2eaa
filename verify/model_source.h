// How `assay diff` and `assay verify lfs` name a model (docs/usage.md): a
// model record file (a signed envelope or a bare statement), a ledger
// reference resolved in DESIGN.md's one order (record id or unique prefix,
// weights root, name[@revision]), a model folder hashed now, or an LFS
// pointer checkout (a folder holding pointer files, read without hashing the
// weights it points to).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/ledger_options.h"
#include "model/lfs_checkout.h"
#include "model/model_diff.h"
#include "record/model_record_reader.h"
#include "status.h"

namespace assay::cli {

// How a record's signature is judged.
struct RecordTrust {
  std::string trust_path;  // --trust; empty: the default trust file
  // verify lfs checks like verify model: a signature must count, a bare
  // statement only with allow_unsigned. diff reports instead: whatever
  // counted or did not is said, and the record is compared all the same.
  bool report_only = false;
  bool allow_unsigned = false;
  bool allow_untrusted = false;
  std::string untrusted_public_key;  // a minisign .pub, with allow_untrusted
};

struct LoadedRecord {
  std::string where;  // "record FILE" or "ledger record in LEDGER"
  std::string id;
  ModelRecord record;
  std::vector<std::string> signed_by;   // "acme (vendor), key ... SHA256:...", or an UNTRUSTED key
  std::vector<std::string> refused;     // signatures that verified but did not count, and why
  bool unsigned_statement = false;
  std::string not_verified;  // report_only: why no signature counted ("" when one did)
  std::vector<std::string> untrusted_fingerprints;  // counted only because of allow_untrusted
  std::string note;          // e.g. "3 records match; the newest is used"
  nlohmann::json signers;    // as verify model --json prints them
};

// `reference` is a file when one exists at that path, else a ledger reference.
// kInvalidInput for a malformed record, a reference nothing matches, or a
// record that is not a model record; kCheckFailed when the signature does not
// count (unless report_only).
Result<LoadedRecord> LoadModelRecord(const std::string& reference, const LedgerOptions& ledger,
                                     const RecordTrust& trust);

enum class SideKind { kRecord, kLedger, kFolder, kLfsCheckout };
std::string_view SideKindName(SideKind kind);  // "record", "ledger", "folder", "lfs-checkout"

struct ModelSide {
  SideKind kind = SideKind::kFolder;
  std::string argument;  // as the user gave it
  std::optional<LoadedRecord> record;  // kRecord, kLedger
  size_t pointers = 0;                 // kLfsCheckout: how many files were pointers
  ModelView view;
};

// Any of the four kinds. A folder is hashed without the hash cache unless
// `use_cache`; its config files are read so their keys can be compared.
Result<ModelSide> LoadModelSide(const std::string& argument, const LedgerOptions& ledger, const RecordTrust& trust,
                                bool use_cache);

}  // namespace assay::cli
