#include "ops/ledger_ops.h"

#include "digest/sha256.h"
#include "json/strict_json.h"
#include "ops/publish.h"
#include "ops/signed_claim.h"
#include "record/in_toto.h"
#include "record/record_check.h"
#include "sign/checkpoint.h"
#include "sign/dsse.h"
#include "sign/minisign_key.h"
#include "sign/signed_note.h"

namespace assay {
namespace {

// The ledger the context names, where the default one is made on first use.
LedgerLocation ContextLedgerLocation(const Context& context) {
  return LedgerLocation{context.paths.ledger, context.paths.ledger_is_default, context.paths.cache_dir};
}

void WarnEach(Context& context, const std::vector<std::string>& lines) {
  for (const std::string& line : lines) context.output.Warn(line);
}

Result<std::vector<RecordEntry>> SelectLogRecords(LedgerIndex& index, const LogRequest& request) {
  std::vector<RecordEntry> records;
  auto add_models = [&](const std::vector<ModelEntry>& models) {
    for (const ModelEntry& model : models) records.push_back(model.record);
  };
  if (!request.model.empty()) {
    size_t at = request.model.find('@');
    std::optional<std::string> revision;
    if (at != std::string::npos) revision = request.model.substr(at + 1);
    ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> models, index.ModelsByName(request.model.substr(0, at), revision));
    add_models(models);
  } else if (!request.weights_root.empty()) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> models, index.ModelsByWeightsRoot(request.weights_root));
    add_models(models);
  } else if (!request.benchmark.empty()) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<ClaimEntry> claims, index.ClaimsByBenchmark(request.benchmark));
    for (const ClaimEntry& claim : claims) records.push_back(claim.record);
  } else if (!request.signer.empty()) {
    ASSAY_ASSIGN_OR_RETURN(records, index.RecordsBySignerKeyId(request.signer));
  } else {
    return index.Log(request.limit);
  }
  if (records.size() > request.limit) records.resize(request.limit);
  return records;
}

// "model acme/tiny@v1" for a model record, "claim BENCHMARK" for a claim that
// names one, "plan" for a plan, "deployment" for a deployment and
// "observation SOURCE@COMMIT" for an observation (which the index keeps as
// kind other); the kind alone otherwise.
std::string LogHeadline(const RecordSummary& summary) {
  if (summary.predicate_type == kPlanPredicateType) return "plan";
  if (summary.predicate_type == kDeploymentPredicateType) return "deployment";
  if (summary.predicate_type == kComparisonPredicateType) return "comparison";
  if (summary.predicate_type == kRevocationPredicateType) return "revocation";
  if (summary.predicate_type == kObservationPredicateType) {
    return summary.subjects.empty() ? "observation" : "observation " + summary.subjects.front().name;
  }
  std::string line(RecordKindName(summary.kind));
  if (summary.model) {
    line += " " + summary.model->name + (summary.model->revision ? "@" + *summary.model->revision : "");
  }
  if (summary.claim && summary.claim->benchmark_name) line += " " + *summary.claim->benchmark_name;
  return line;
}

// Marks `entry` when the record is not well formed, was altered, or has no
// signature that counts in the role its predicate type requires.
void MarkLogEntry(Context& context, LogEntry& entry, const std::string& envelope, const TrustFile& trust) {
  if (entry.record.problem) {
    entry.mark = "INVALID";
    entry.reason = *entry.record.problem;
    return;
  }
  Result<CheckedRecord> checked = JudgeForPredicate(context, envelope, trust, entry.record.predicate_type);
  if (!checked.ok()) {
    entry.mark = "INVALID";
    entry.reason = checked.status().message();
  } else if (!checked->counts()) {
    entry.mark = checked->standing == RecordStanding::kAltered ? "ALTERED" : "NOT COUNTED";
    entry.reason = checked->problem;
  }
}

// Where a witness remembers the last checkpoint of `origin` it cosigned.
std::string WitnessStatePath(const Context& context, const std::string& origin) {
  std::string digest = ToHex(Sha256::Of(origin));
  return context.paths.config_dir + "/witness/" + digest.substr(0, 16) + ".note";
}

// The trusted witnesses whose cosignatures on `note` verify.
std::vector<std::string> TrustedCosigners(std::string_view note, const TrustFile& trust) {
  std::vector<std::string> cosigners;
  for (const TrustedCosignature& one : TrustedCosignatures(note, trust)) {
    cosigners.push_back(one.witness + " (as " + one.as + ")");
  }
  return cosigners;
}

Result<CheckpointFinding> CheckCheckpointNote(Context& context, const Ledger& ledger, const TrustFile& trust,
                                              const std::string& path) {
  ASSAY_ASSIGN_OR_RETURN(std::string note, ReadWholeFile(context.fs, path, kMaxSignedNoteSize));
  Result<CheckedCheckpoint> checked = ledger.CheckExtends(note, trust);
  if (!checked.ok()) return checked.status().WithContext(path);
  return CheckpointFinding{std::move(*checked), TrustedCosigners(note, trust)};
}

// `note` written to `output` (atomically), or kept for stdout when there is none.
Result<SignedCheckpoint> DeliverCheckpointNote(Context& context, std::string note, const std::string& output) {
  SignedCheckpoint result{std::move(note), ""};
  if (!output.empty()) {
    ASSAY_RETURN_IF_ERROR(context.fs.WriteFileAtomically(output, result.note));
    result.written = output;
  }
  return result;
}

}  // namespace

Result<InitializedLedger> InitLedger(Context& context, const InitLedgerRequest& request) {
  InitializedLedger result{request.dir.empty() ? context.paths.ledger : request.dir};
  std::vector<std::string> repairs;
  Status made = Ledger::Init(result.path, &repairs);
  WarnEach(context, repairs);
  ASSAY_RETURN_IF_ERROR(made);
  return result;
}

Result<ReindexedLedger> ReindexLedger(Context& context) {
  std::vector<std::string> repairs;
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForReindex(ContextLedgerLocation(context), &repairs);
  WarnEach(context, repairs);
  if (!ledger.ok()) return ledger.status();
  ASSAY_ASSIGN_OR_RETURN(Ledger::Reindexed reindexed, (*ledger)->Reindex());
  WarnEach(context, reindexed.warnings);
  return ReindexedLedger{(*ledger)->path(), reindexed.records, std::move(reindexed.digest),
                         std::move(reindexed.before)};
}

Result<LedgerLog> LogLedger(Context& context, const LogRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> records, SelectLogRecords(ledger->index(), request));
  ASSAY_ASSIGN_OR_RETURN(const Withdrawals withdrawals, Withdrawals::Load(context, *ledger, trust));
  LedgerLog log;
  for (RecordEntry& record : records) {
    ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, ledger->index().Envelope(record.id));
    LogEntry entry;
    entry.record = std::move(record);
    Result<RecordSummary> summary = SummarizeRecord(envelope.value_or(""));
    entry.headline = summary.ok() ? LogHeadline(*summary) : std::string(RecordKindName(entry.record.kind));
    MarkLogEntry(context, entry, envelope.value_or(""), trust);
    if (const JudgedRevocation* withdrawn = withdrawals.Of(entry.record.id)) entry.withdrawn = *withdrawn;
    log.entries.push_back(std::move(entry));
  }
  return log;
}

Result<ShownRecord> ShowRecord(Context& context, const ShowRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger->FindRecord(request.id));
  ShownRecord shown;
  shown.record = std::move(found.entry);
  const std::string where = "record " + shown.record.id + " in " + ledger->path();
  if (shown.record.problem) {
    if (request.statement) {
      return Status::CheckFailed(where + " is not a well-formed record: " + *shown.record.problem);
    }
    return shown;
  }
  if (request.statement) {
    ASSAY_ASSIGN_OR_RETURN(DsseEnvelope parsed, ParseDsseEnvelope(found.envelope));
    Result<nlohmann::json> statement = ParseStrictJson(parsed.payload);
    if (!statement.ok()) return statement.status().WithContext(where);
    shown.statement = std::move(*statement);
    return shown;
  }
  ASSAY_ASSIGN_OR_RETURN(shown.summary, SummarizeRecord(found.envelope));
  shown.headline = LogHeadline(*shown.summary);
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(const Withdrawals withdrawals, Withdrawals::Load(context, *ledger, trust));
  if (const JudgedRevocation* withdrawn = withdrawals.Of(shown.record.id)) shown.withdrawn = *withdrawn;
  return shown;
}

Result<LedgerVerification> VerifyLedgerHistory(Context& context, const VerifyLedgerRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  LedgerVerification verification;
  std::vector<std::string> repairs;
  std::unique_ptr<ProgressSink> progress = context.output.ProgressOf("verifying", "records and commits", 0);
  Result<std::unique_ptr<Ledger>> ledger =
      Ledger::OpenVerified(ContextLedgerLocation(context), trust, &verification.report, &repairs, progress.get());
  progress.reset();
  WarnEach(context, repairs);
  if (!ledger.ok()) return ledger.status();
  verification.ledger = (*ledger)->path();
  if (!request.checkpoint.empty()) {
    Result<CheckpointFinding> finding = CheckCheckpointNote(context, **ledger, trust, request.checkpoint);
    if (finding.ok()) {
      verification.checkpoint = std::move(*finding);
    } else {
      verification.checkpoint_failure = finding.status();
    }
  }
  return verification;
}

Status LedgerVerdict(const LedgerVerification& verification) { return verification.checkpoint_failure; }

Result<SignedCheckpoint> MakeCheckpoint(Context& context, const CheckpointRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  const std::string origin =
      request.origin.empty() ? "assay.invalid/ledger/" + FormatMinisignKeyId(key->key_id()) : request.origin;
  ASSAY_ASSIGN_OR_RETURN(std::string note, ledger->MakeCheckpoint(origin, key->key()));
  return DeliverCheckpointNote(context, std::move(note), request.output);
}

Result<SignedCheckpoint> CosignCheckpoint(Context& context, const CosignRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(std::string note, ReadWholeFile(context.fs, request.checkpoint, kMaxSignedNoteSize));
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  Result<SignedNote> parsed = ParseSignedNote(note);
  if (!parsed.ok()) return parsed.status().WithContext(request.checkpoint);
  Result<Checkpoint> checkpoint = ParseCheckpoint(parsed->text);
  if (!checkpoint.ok()) return checkpoint.status().WithContext(request.checkpoint);

  const std::string state_path = WitnessStatePath(context, checkpoint->origin);
  std::optional<std::string> previous;
  if (context.fs.LinkStatus(state_path).ok()) {
    ASSAY_ASSIGN_OR_RETURN(previous, ReadWholeFile(context.fs, state_path, kMaxSignedNoteSize));
  }
  const std::string name = request.witness_name.empty()
                               ? "assay.invalid/witness/" + FormatMinisignKeyId(key->key_id())
                               : request.witness_name;
  Result<std::string> cosigned = ledger->Cosign(note, previous, trust, name, key->key(), context.clock);
  if (!cosigned.ok()) return cosigned.status().WithContext(request.checkpoint);
  ASSAY_RETURN_IF_ERROR(context.fs.CreateDirectories(context.paths.config_dir + "/witness"));
  ASSAY_RETURN_IF_ERROR(context.fs.WriteFileAtomically(state_path, *cosigned));
  return DeliverCheckpointNote(context, std::move(*cosigned), request.output);
}

Result<AddedRemote> AddRemote(Context& context, const RemoteRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  ASSAY_RETURN_IF_ERROR(ledger->AddRemote(request.name, request.url));
  return AddedRemote{request.name, request.url};
}

Result<PushedLedger> PushToRemote(Context& context, const RemoteRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  ASSAY_RETURN_IF_ERROR(ledger->Push(request.name));
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> head, ledger->Head());
  return PushedLedger{request.name, std::move(head)};
}

Result<PulledLedger> PullFromRemote(Context& context, const RemoteRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  ASSAY_ASSIGN_OR_RETURN(CommitSigner signer, CommitSignerFor(context, *key));
  std::unique_ptr<ProgressSink> progress = context.output.ProgressOf("verifying", "fetched records and commits", 0);
  ASSAY_ASSIGN_OR_RETURN(Ledger::Pulled pulled, ledger->Pull(request.name, trust, signer, context.clock, progress.get()));
  progress.reset();
  WarnEach(context, pulled.warnings);
  return PulledLedger{request.name, std::move(pulled.outcome)};
}

}  // namespace assay
