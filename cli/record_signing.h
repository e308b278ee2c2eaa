// Signing a statement into a record (DESIGN.md, Records): a DSSE envelope with
// one Ed25519 signature, checked to verify before it leaves the process; and
// publishing it the way every `assay attest` command that makes a claim or a
// reproduction does: -o FILE, --json, and the append to the ledger.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "cli/key_store.h"
#include "claim/transcript.h"
#include "cli/ledger_options.h"
#include "sign/minisign_secret_key.h"
#include "status.h"

namespace assay::cli {

// The envelope as one line of JSON. kIo when the new signature does not
// verify (faulty memory or library): nothing must be written then.
Result<std::string> SignRecord(const std::string& statement, const MinisignSecretKey& key);

// Where a new signed record goes, and with which key.
struct RecordOutputOptions {
  std::string output_path;  // -o: also write the record here
  bool json = false;        // print the record instead of the summary
  KeyOptions key;
  LedgerOptions ledger;
  std::string trust_path;  // names the signer (and checks the records it builds on)
};

// Adds -o/--output, --json, the key options, --ledger and --trust.
void AddRecordOutputOptions(CLI::App& command, RecordOutputOptions& options, const std::string& trust_help);

// A file a new record comes with (-o, a transcript opening), written beside
// its place before the ledger append and put in place only after it.
struct RecordOutputFile {
  std::string path;
  std::string bytes;
  uint32_t mode = 0644;
  bool replace = true;  // false: refuse a path that exists
};

// The transcript opening (mode 0600: it holds the salts), for `requested` or
// "<kind>-<id prefix>.transcript.jsonl"; never over an existing file.
RecordOutputFile TranscriptOpeningFile(const Transcript& transcript, const std::string& requested,
                                       const std::string& kind, const std::string& id);

// Publishes a new record the one way every attest command does (issue 10,
// fault 7): stages `files` and -o, appends the record to the ledger (when
// `key` is given and `append`), and only then puts the files in place and
// prints the record (--json) or calls `print_summary` and the signer and
// acknowledgement lines. A failed append leaves nothing behind.
Status PublishRecord(const RecordOutputOptions& options, const std::string& record, const MinisignSecretKey* key,
                     bool append, std::vector<RecordOutputFile> files, const std::function<void()>& print_summary);

}  // namespace assay::cli
