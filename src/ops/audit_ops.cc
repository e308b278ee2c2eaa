#include "ops/audit_ops.h"

#include <cstdio>

#include "record/model_record_reader.h"

namespace assay {
namespace {

// A report reads every record it is given, and says what its signatures are worth.
ModelReferenceOptions ReportOptions() {
  ModelReferenceOptions options;
  options.report_only = true;
  return options;
}

// Why a record's signatures do not count, or "" when they do (or it is an
// unsigned statement, which a report says in its own words).
std::string NotVerified(const ResolvedModel& resolved) {
  if (!resolved.record || resolved.record->counts() || resolved.record->standing == RecordStanding::kUnsigned) {
    return "";
  }
  return resolved.record->problem;
}

Result<std::pair<std::vector<std::string>, std::vector<std::string>>> TranscriptSideFiles(
    const CompareTranscriptsRequest& request) {
  const bool named = !request.a_files.empty() || !request.b_files.empty();
  const bool positional = !request.a_path.empty() || !request.b_path.empty();
  if (positional && named) {
    return Status::InvalidInput("give the sides either as A B or with --a FILE... --b FILE..., not both");
  }
  if (named) {
    if (request.a_files.empty() || request.b_files.empty()) {
      return Status::InvalidInput("both sides need files: --a FILE... and --b FILE...");
    }
    return std::pair{request.a_files, request.b_files};
  }
  if (request.a_path.empty() || request.b_path.empty()) {
    return Status::InvalidInput("expected two transcripts, A B (hint: give a side of several files with "
                                "--a FILE --a FILE ... --b FILE)");
  }
  return std::pair{std::vector{request.a_path}, std::vector{request.b_path}};
}

std::string LineageLabel(const ModelIdentity& identity) {
  return identity.name + (identity.revision ? "@" + *identity.revision : "");
}

// A model for lineage: a folder (when allowed) or a record, read whatever its
// signatures say, and what they said.
Result<LineageModel> LineageModelOf(Context& context, const std::string& reference, bool folder_allowed,
                                    unsigned threads) {
  Result<FileInfo> info = context.fs.FollowStatus(reference);
  const bool folder = info.ok() && info->type == FileInfo::Type::kDirectory;
  if (folder && !folder_allowed) {
    return Status::InvalidInput(reference + ": a folder; --against takes model records (hint: 'assay attest model " +
                                reference + "' makes one)");
  }
  ModelReferenceOptions options = ReportOptions();
  options.threads = threads;
  Result<ResolvedModel> found = ResolveModelReference(context, reference, options);
  if (found.status().kind() == ErrorKind::kNotFound) {
    return Status::NotFound(reference + ": no such folder or record file, and no model record of that id, "
                                        "weights root or name in the ledger")
        .WithHint(found.status().hint());
  }
  ASSAY_ASSIGN_OR_RETURN(ResolvedModel resolved, std::move(found));
  LineageModel model;
  model.manifest = std::move(resolved.view.manifest);
  if (!resolved.record) {
    model.label = model.source = reference;
    return model;
  }
  model.label = LineageLabel(resolved.model->identity);
  model.source = resolved.kind == ModelReferenceKind::kLedgerRecord ? "ledger" : reference;
  model.record_id = resolved.record->id;
  const CheckedRecord& record = *resolved.record;
  if (record.standing == RecordStanding::kUnsigned) {
    model.signature = "unsigned statement";
  } else if (!record.counts()) {
    model.signature = "signature NOT verified: " + record.problem;
  } else {
    for (const RecordSigner& signer : record.signers) {
      if (!signer.entry) continue;  // only with allowed untrusted keys, which lineage has none of
      model.signature += (model.signature.empty() ? "signed by " : "; ") + DescribeSigner(*signer.entry);
    }
  }
  return model;
}

std::string PercentOf(uint64_t part, uint64_t whole) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", whole == 0 ? 0.0 : 100.0 * double(part) / double(whole));
  return text;
}

}  // namespace

Result<ModelComparison> DiffModels(Context& context, const DiffRequest& request) {
  ModelReferenceOptions options = ReportOptions();
  options.use_cache = request.use_cache;
  ASSAY_ASSIGN_OR_RETURN(ResolvedModel a, ResolveModelReference(context, request.a, options));
  ASSAY_ASSIGN_OR_RETURN(ResolvedModel b, ResolveModelReference(context, request.b, options));
  ModelDiff diff = DiffModels(a.view, b.view);
  for (const ResolvedModel* side : {&a, &b}) {
    if (std::string problem = NotVerified(*side); !problem.empty()) {
      context.output.Warn(side->argument + ": signature not verified (" + problem + "); compared all the same");
    }
  }
  return ModelComparison{std::move(a), std::move(b), std::move(diff)};
}

Result<TranscriptsComparison> CompareTranscriptFiles(Context& context, const CompareTranscriptsRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(auto files, TranscriptSideFiles(request));
  TranscriptComparisonOptions options;
  options.top = request.top;
  options.min_samples = request.min_samples;
  if (!request.decoding.empty()) {
    const std::optional<Decoding> decoding = ParseDecoding(request.decoding);
    if (!decoding) {
      return Status::InvalidInput("--decoding: expected greedy or sampled, got '" + request.decoding + "'");
    }
    options.decoding = *decoding;
  }
  const EvalLogOptions log_options{.task = request.task};
  TranscriptsComparison result;
  result.a_files = std::move(files.first);
  result.b_files = std::move(files.second);
  result.baseline_files = request.baseline_files;
  ASSAY_ASSIGN_OR_RETURN(result.a, ReadComparisonSide(result.a_files, log_options, context.fs));
  ASSAY_ASSIGN_OR_RETURN(result.b, ReadComparisonSide(result.b_files, log_options, context.fs));
  if (!request.baseline_files.empty()) {
    ASSAY_ASSIGN_OR_RETURN(result.baseline, ReadComparisonSide(request.baseline_files, log_options, context.fs));
    options.baseline = &*result.baseline;
  }
  ASSAY_ASSIGN_OR_RETURN(result.comparison, CompareTranscripts(result.a, result.b, options));
  return result;
}

Result<LineageReport> TraceLineage(Context& context, const LineageRequest& request) {
  LineageReport report;
  ASSAY_ASSIGN_OR_RETURN(report.model, LineageModelOf(context, request.model, true, request.threads));
  for (const std::string& reference : request.against) {
    ASSAY_ASSIGN_OR_RETURN(LineageModel known, LineageModelOf(context, reference, false, request.threads));
    report.known.push_back(std::move(known));
  }
  std::vector<const ModelManifest*> manifests;
  std::vector<std::string> names;
  for (const LineageModel& known : report.known) {
    manifests.push_back(&known.manifest);
    names.push_back(known.source == "ledger" ? known.label : known.source);
  }
  Result<std::vector<LineageMatch>> matches = CompareLineage(report.model.manifest, manifests, names);
  if (!matches.ok()) return matches.status().WithContext(request.model);
  report.matches = std::move(*matches);
  return report;
}

// Under 1 % of the bytes, what is shared is the kind of tensor that matches
// by chance (norms of ones, zero biases): said so, not taken for descent.
std::string LineageFinding(const LineageMatch& match) {
  if (match.SameWeights()) return "the same weights: every tensor byte-identical";
  if (match.identical_tensors == 0) return "shares no tensor";
  std::string shares = "shares " + std::to_string(match.identical_tensors) + " of " +
                       std::to_string(match.model_tensors) + " tensors";
  if (match.identical_bytes * 100 < match.model_bytes) {
    return shares + ", only " + PercentOf(match.identical_bytes, match.model_bytes) +
           " of the bytes: too little to show descent";
  }
  return shares + " (" + PercentOf(match.identical_bytes, match.model_bytes) + " of the bytes)";
}

Result<WeightsForensics> CompareModelWeights(Context& context, const ForensicsRequest& request) {
  ManifestOptions manifest_options;
  manifest_options.threads = request.options.threads;
  std::optional<ModelManifest> a, b;
  {
    std::unique_ptr<ProgressSink> hashing = context.output.Progress("hashing A", 0);
    manifest_options.progress = hashing.get();
    ASSAY_ASSIGN_OR_RETURN(a, BuildModelManifest(context.fs, request.folder_a, manifest_options));
  }
  {
    std::unique_ptr<ProgressSink> hashing = context.output.Progress("hashing B", 0);
    manifest_options.progress = hashing.get();
    ASSAY_ASSIGN_OR_RETURN(b, BuildModelManifest(context.fs, request.folder_b, manifest_options));
  }
  std::unique_ptr<ProgressSink> decoding = context.output.Progress("decoding", 0);
  ASSAY_ASSIGN_OR_RETURN(ForensicsReport report, CompareWeights(context.fs, *a, *b, request.options, decoding.get()));
  decoding.reset();
  ForensicsSummary summary = SummarizeForensics(report);
  return WeightsForensics{request.folder_a, request.folder_b, std::move(report), std::move(summary)};
}

Result<LfsVerification> VerifyLfsCheckout(Context& context, const VerifyLfsRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(ModelReferenceOptions options,
                         RecordOnlyOptions(context, request.allow_unsigned, request.untrusted_public_key));
  LfsVerification verification;
  verification.folder = request.folder;
  ASSAY_ASSIGN_OR_RETURN(verification.record, ResolveModelReference(context, request.record, options));
  ASSAY_ASSIGN_OR_RETURN(LfsCheckout checkout, ReadLfsCheckout(context.fs, request.folder));
  verification.files = checkout.files.size();
  verification.pointers = checkout.PointerCount();
  verification.audit = AuditLfsCheckout(checkout, verification.record.model->manifest);
  WarnOfUntrustedSigners(context, *verification.record.record);
  return verification;
}

Status VerdictOf(const LfsVerification& verification) {
  if (verification.model_changed()) return Status::CheckFailed(verification.folder + ": does not match the record");
  return Status::Ok();
}

}  // namespace assay
