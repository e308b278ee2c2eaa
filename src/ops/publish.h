// The one way a new record is published (issue "The missing middle", item 4):
// sign the statement (or, unsigned, keep it bare), check the new signature
// verifies, stage every output file beside its place, append the record to
// the ledger, and only then put the files in place. A failed append leaves
// nothing behind; a record that was appended is never hidden by a later
// failure (the result says it was recorded).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ops/context.h"
#include "sign/minisign_secret_key.h"
#include "status.h"

namespace assay {

// A file a new record comes with: the record itself (-o), a transcript opening.
struct OutputFile {
  std::string path;
  std::string bytes;
  uint32_t mode = 0644;
  bool replace = true;  // false: refuse a path that exists (a transcript opening holds salts)
  ContentWriter write;  // when set, the content, given in pieces (`bytes` is not used)
};

struct PublishOptions {
  const MinisignSecretKey* key = nullptr;  // null: the bare statement, unsigned
  bool append = true;                       // --no-ledger: false (an unsigned statement is never appended)
  std::string output_path;                  // -o: the record, or the bare statement
};

struct PublishedRecord {
  std::string id;      // RecordId of the statement
  std::string record;  // the envelope, or the bare statement when unsigned
  std::string key_id;  // the signing key's minisign id ("" unsigned)
  std::string fingerprint;
  std::optional<Ledger::Appended> appended;  // when appended
  std::string ledger;                        // the ledger's folder, when appended
  std::vector<std::string> written;          // files put in place, in order
};

// Publishes one record with its files. `context.paths` names the ledger and
// the trust file (which names the commit's author when it lists the key).
Result<PublishedRecord> Publish(Context& context, const std::string& statement, const PublishOptions& options,
                                std::vector<OutputFile> files = {});

// Publishes several records under one hold of the ledger lock: every record is
// signed and every file staged before the first append.
Result<std::vector<PublishedRecord>> PublishAll(Context& context, const std::vector<std::string>& statements,
                                                const PublishOptions& options,
                                                std::vector<std::vector<OutputFile>> files);

// The ledger the context names. With `create`, the default one is made on
// first use (with a warning for anything repaired on the way); commands that
// only read never make one. A named ledger must exist: kNotFound otherwise.
Result<std::unique_ptr<Ledger>> OpenLedger(Context& context, bool create = true);

// Who signs the ledger commit of a record signed by `key`: its trust-file
// name when the trust file lists it, else "assay".
Result<CommitSigner> CommitSignerFor(Context& context, const MinisignSecretKey& key);

}  // namespace assay
