// How every command that takes a model names it (DESIGN.md, Records: "model
// names resolve in one order everywhere"; docs/usage.md): a path first (an
// LFS pointer checkout, a model folder hashed now, or a model record file: a
// signed envelope or a bare statement), then a ledger reference in DESIGN.md's
// order (a record id or unique prefix of 8+ hex digits, a weights root, then
// name[@revision], the newest record when several match).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "model/model_diff.h"
#include "ops/context.h"
#include "record/model_record_reader.h"
#include "record/record_check.h"

namespace assay {

enum class ModelReferenceKind { kRecordFile, kLedgerRecord, kFolder, kLfsCheckout };
// "record", "ledger", "folder", "lfs-checkout"
std::string_view ModelReferenceKindName(ModelReferenceKind kind);

// What a reference may be, and how a record's signatures are judged.
struct ModelReferenceOptions {
  bool folders = true;  // folders and pointer checkouts; false: records only
  bool use_cache = false;  // a folder is hashed with the hash cache (off: every byte read)
  unsigned threads = 0;    // a folder's hashing threads; 0: one per core
  // When `report_only`, a record whose signatures do not count (or an
  // unsigned statement) is read all the same and says so in `record`;
  // otherwise it is kCheckFailed unless the policy allows it.
  bool report_only = false;
  RecordPolicy policy;  // role, allowed untrusted keys, allow_unsigned; `now` is filled in
};

struct ResolvedModel {
  ModelReferenceKind kind = ModelReferenceKind::kFolder;
  std::string argument;                // as the user gave it
  std::string where;                   // "record FILE", "ledger record in LEDGER", "folder DIR"
  std::optional<CheckedRecord> record;  // kRecordFile, kLedgerRecord
  std::optional<ModelRecord> model;     // kRecordFile, kLedgerRecord: the record's statement, read
  std::string note;                     // "3 model records match acme/x; the newest is used"
  size_t pointers = 0;                  // kLfsCheckout: how many files were pointers
  ModelView view;                       // files, tensors when known, config contents when read
};

// Options for a command that checks one model record (verify model, verify
// lfs): records only, unsigned ones when `allow_unsigned`, and the key of the
// minisign .pub `untrusted_public_key` counted though outside the trust file.
Result<ModelReferenceOptions> RecordOnlyOptions(Context& context, bool allow_unsigned,
                                                const std::string& untrusted_public_key);

// Warns of each signer of `record` that counted only because it was allowed
// outside the trust file (--allow-untrusted).
void WarnOfUntrustedSigners(Context& context, const CheckedRecord& record);

// Resolves `reference`. The ledger (the context's) is opened only when the
// reference is not a path. kNotFound when nothing matches (naming the ledger),
// kInvalidInput for a malformed record or one that is not a model record,
// kCheckFailed for a record whose signature does not count (unless
// report_only).
Result<ResolvedModel> ResolveModelReference(Context& context, const std::string& reference,
                                            const ModelReferenceOptions& options);

// The same, in a ledger already open (for commands that hold one).
Result<ResolvedModel> ResolveModelInLedger(Context& context, Ledger& ledger, const std::string& reference,
                                           const ModelReferenceOptions& options);

}  // namespace assay
