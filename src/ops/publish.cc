#include "ops/publish.h"

#include "record/record_id.h"
#include "record/record_signing.h"
#include "sign/minisign_key.h"
#include "sign/openssh_key.h"

namespace assay {

Result<std::unique_ptr<Ledger>> OpenLedger(Context& context, bool create) {
  std::vector<std::string> repairs;
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(
      LedgerLocation{context.paths.ledger, create && context.paths.ledger_is_default, context.paths.cache_dir},
      &repairs);
  for (const std::string& repair : repairs) context.output.Warn(repair);
  return ledger;
}

Result<CommitSigner> CommitSignerFor(Context& context, const MinisignSecretKey& key) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  const TrustEntry* entry = trust.Find(key.key().public_key());
  return CommitSigner{&key.key(), entry != nullptr ? entry->name : "assay", FormatMinisignKeyId(key.key_id())};
}

Result<std::vector<PublishedRecord>> PublishAll(Context& context, const std::vector<std::string>& statements,
                                                const PublishOptions& options,
                                                std::vector<std::vector<OutputFile>> files) {
  files.resize(statements.size());
  std::vector<PublishedRecord> published(statements.size());
  std::vector<StagedFile> staged;
  std::vector<std::string> envelopes;
  for (size_t i = 0; i < statements.size(); ++i) {
    PublishedRecord& record = published[i];
    record.id = RecordId(statements[i]);
    record.record = statements[i];
    if (options.key != nullptr) {
      ASSAY_ASSIGN_OR_RETURN(record.record, SignRecord(statements[i], *options.key));
      record.key_id = FormatMinisignKeyId(options.key->key_id());
      record.fingerprint = SshFingerprint(options.key->key().public_key());
      envelopes.push_back(record.record);
    }
    if (!options.output_path.empty()) {
      files[i].push_back({options.output_path, record.record + "\n", 0644, /*replace=*/true, nullptr});
    }
    for (const OutputFile& file : files[i]) {
      ASSAY_ASSIGN_OR_RETURN(StagedFile one, file.write ? StagedFile::StageWritten(file.path, file.write, file.mode, file.replace)
                                                        : StagedFile::Stage(file.path, file.bytes, file.mode, file.replace));
      staged.push_back(std::move(one));
    }
  }
  if (options.key != nullptr && options.append) {
    ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
    ASSAY_ASSIGN_OR_RETURN(CommitSigner signer, CommitSignerFor(context, *options.key));
    // Many records (observe, attest claim --all) take a synced commit each: say how far along.
    std::unique_ptr<ProgressSink> progress =
        envelopes.size() > 1 ? context.output.ProgressOf("appending", "records", envelopes.size()) : nullptr;
    ASSAY_ASSIGN_OR_RETURN(std::vector<Ledger::Appended> appended,
                           ledger->Append(envelopes, signer, context.clock, progress.get()));
    progress.reset();
    for (size_t i = 0; i < appended.size(); ++i) {
      for (const std::string& warning : appended[i].warnings) context.output.Warn(warning);
      published[i].appended = std::move(appended[i]);
      published[i].ledger = ledger->path();
    }
  }
  // Recorded: from here on an error must say so, never hide it.
  size_t next = 0;
  for (size_t i = 0; i < statements.size(); ++i) {
    for (size_t k = 0; k < files[i].size(); ++k, ++next) {
      Status placed = staged[next].Publish();
      if (!placed.ok()) {
        if (!published[i].appended) return placed;
        return placed.WithContext("record " + published[i].id + " is in the ledger " + published[i].ledger +
                                  ", but a file it comes with was not written");
      }
      published[i].written.push_back(files[i][k].path);
    }
  }
  return published;
}

Result<PublishedRecord> Publish(Context& context, const std::string& statement, const PublishOptions& options,
                                std::vector<OutputFile> files) {
  std::vector<std::vector<OutputFile>> per_record;
  per_record.push_back(std::move(files));
  ASSAY_ASSIGN_OR_RETURN(std::vector<PublishedRecord> published,
                         PublishAll(context, {statement}, options, std::move(per_record)));
  return std::move(published.front());
}

}  // namespace assay
