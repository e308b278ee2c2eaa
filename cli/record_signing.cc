#include "cli/record_signing.h"

#include <cstdio>
#include <span>

#include "cli/command.h"
#include "claim/transcript_opening.h"
#include "sign/dsse.h"
#include "sign/openssh_key.h"

namespace assay::cli {

Result<std::string> SignRecord(const std::string& statement, const MinisignSecretKey& key) {
  DsseEnvelope envelope = SignDsse(kInTotoPayloadType, statement, key.key());
  const Ed25519PublicKey public_key = key.key().public_key();
  if (!VerifyDsse(envelope, kInTotoPayloadType, std::span(&public_key, 1)).ok()) {
    return Status::IoError("the new signature does not verify; nothing written (faulty memory or library?)");
  }
  return SerializeDsseEnvelope(envelope);
}

RecordOutputFile TranscriptOpeningFile(const Transcript& transcript, const std::string& requested,
                                       const std::string& kind, const std::string& id) {
  const std::string path = requested.empty() ? kind + "-" + id.substr(0, 16) + ".transcript.jsonl" : requested;
  return RecordOutputFile{path, FormatTranscriptOpening(transcript), 0600, /*replace=*/false};
}

void AddRecordOutputOptions(CLI::App& command, RecordOutputOptions& options, const std::string& trust_help) {
  command.add_option("-o,--output", options.output_path, "also write the signed record to this file");
  command.add_flag("--json", options.json, "print the signed record as JSON");
  AddKeyOptions(command, options.key);
  AddLedgerOption(command, options.ledger);
  command.add_option("--trust", options.trust_path, trust_help);
}

Status PublishRecord(const RecordOutputOptions& options, const std::string& record, const MinisignSecretKey* key,
                     bool append, std::vector<RecordOutputFile> files, const std::function<void()>& print_summary) {
  if (!options.output_path.empty()) files.push_back({options.output_path, record + "\n", 0644, /*replace=*/true});
  std::vector<StagedFile> staged;
  for (const RecordOutputFile& file : files) {
    ASSAY_ASSIGN_OR_RETURN(StagedFile one, StagedFile::Stage(file.path, file.bytes, file.mode, file.replace));
    staged.push_back(std::move(one));
  }
  std::string acknowledgement;
  if (key != nullptr && append) {
    ASSAY_ASSIGN_OR_RETURN(acknowledgement, AppendToLedger(options.ledger, record, *key, options.trust_path));
  }
  // The record is recorded: from here on an error must not hide that.
  for (StagedFile& file : staged) {
    Status published = file.Publish();
    if (!published.ok()) {
      if (!acknowledgement.empty()) PrintTo(stderr, "%s\n", acknowledgement);
      return published;
    }
  }
  if (options.json) {
    std::printf("%s\n", record.c_str());
    // stdout carries the record alone: the acknowledgement goes to stderr.
    if (!acknowledgement.empty()) PrintTo(stderr, "%s\n", acknowledgement);
    return Status::Ok();
  }
  print_summary();
  if (key != nullptr) {
    Print("signed by  key %s %s\n", FormatMinisignKeyId(key->key_id()),
                SshFingerprint(key->key().public_key()));
  } else {
    Print("signed by  nobody (--unsigned)\n");
  }
  if (!options.output_path.empty()) Print("written to %s\n", options.output_path);
  if (!acknowledgement.empty()) Print("%s\n", acknowledgement);
  return Status::Ok();
}

}  // namespace assay::cli
