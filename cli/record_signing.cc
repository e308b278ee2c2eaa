#include "cli/record_signing.h"

#include <cstdio>
#include <span>

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

Result<std::string> WriteTranscriptOpeningFile(const Transcript& transcript, const std::string& requested,
                                               const std::string& kind, const std::string& id) {
  const std::string path = requested.empty() ? kind + "-" + id.substr(0, 16) + ".transcript.jsonl" : requested;
  ASSAY_RETURN_IF_ERROR(LocalFileSystem().WriteNewFileAtomically(path, FormatTranscriptOpening(transcript), 0600));
  return path;
}

void AddRecordOutputOptions(CLI::App& command, RecordOutputOptions& options, const std::string& trust_help) {
  command.add_option("-o,--output", options.output_path, "also write the signed record to this file");
  command.add_flag("--json", options.json, "print the signed record as JSON");
  AddKeyOptions(command, options.key);
  AddLedgerOption(command, options.ledger);
  command.add_option("--trust", options.trust_path, trust_help);
}

Status PublishRecord(const RecordOutputOptions& options, const std::string& envelope, const MinisignSecretKey& key,
                     const std::function<void()>& print_summary) {
  if (!options.output_path.empty()) {
    ASSAY_RETURN_IF_ERROR(LocalFileSystem().WriteFileAtomically(options.output_path, envelope + "\n"));
  }
  if (options.json) {
    std::printf("%s\n", envelope.c_str());
    // stdout carries the record alone: the acknowledgement goes to stderr.
    return AppendToLedger(options.ledger, envelope, key, options.trust_path, stderr);
  }
  print_summary();
  std::printf("signed by  key %s %s\n", FormatMinisignKeyId(key.key_id()).c_str(),
              SshFingerprint(key.key().public_key()).c_str());
  return AppendToLedger(options.ledger, envelope, key, options.trust_path, stdout);
}

}  // namespace assay::cli
