// assay verify claim ID: checks a claim the way a sceptical reader would
// (docs/usage.md): the claim's signature counts (a vendor in the trust file),
// its model record is there, trusted and holds the root the claim binds; and,
// when given, the weights folder hashes to that root and the transcript
// opening hashes to the committed transcript root and supports every claimed
// score. Reproductions are listed with their verdicts, each recomputed as far
// as the two records allow (claim/verdict_check.h); a reproduction altered
// after signing fails, one whose signer does not count as an evaluator is
// listed as not counted and used for nothing. With --bundle the records come
// from an evidence bundle instead of the ledger, and its keys only verify
// signatures: none counts unless the trust file has it or --trust-bundle-key
// names it. Exit 1 on any failure.
#include <cstdio>
#include <memory>

#include "record/evidence_bundle.h"
#include "claim/score_recompute.h"
#include "claim/transcript_opening.h"
#include "claim/verdict_check.h"
#include "cli/claim_report.h"
#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/ledger_records.h"
#include "cli/verdict_report.h"
#include "json/strict_json.h"
#include "model/model_manifest.h"
#include "record/model_record_reader.h"
#include "sign/dsse.h"
#include "sign/openssh_key.h"

namespace assay::cli {
namespace {

using nlohmann::json;

struct VerifyClaimOptions {
  std::string claim;
  LedgerOptions ledger;
  std::string trust_path;
  std::string weights_dir;
  std::string transcript;
  std::string bundle;
  std::vector<std::string> trusted_bundle_keys;  // fingerprints the user checked
  bool json = false;
};

// The claim, its model record and its reproductions, wherever they came from.
struct ClaimEvidence {
  SignedClaim claim;
  std::optional<CheckedLedgerRecord> model_record;
};

// Each check passes, fails, or concerns a record that is not counted (listed,
// used for nothing, failing nothing).
class Findings {
 public:
  void Pass(const std::string& check, const std::string& detail) { Add(check, "pass", detail); }
  void Fail(const std::string& check, const std::string& detail) { Add(check, "fail", detail); }
  void NotCounted(const std::string& check, const std::string& detail) { Add(check, "not counted", detail); }
  bool ok() const { return failures_ == 0; }
  size_t failures() const { return failures_; }
  const json& entries() const { return entries_; }
  void Print() const {
    for (const json& entry : entries_) {
      const std::string outcome = entry["outcome"].get<std::string>();
      const char* mark = outcome == "pass" ? "ok" : outcome == "fail" ? "FAIL" : "--";
      cli::Print("%-4s %-12s %s\n", mark, entry["check"].get<std::string>(),
                  entry["detail"].get<std::string>());
    }
  }

 private:
  void Add(const std::string& check, const std::string& outcome, const std::string& detail) {
    entries_.push_back({{"check", check}, {"ok", outcome != "fail"}, {"outcome", outcome}, {"detail", detail}});
    failures_ += outcome == "fail" ? 1 : 0;
  }
  json entries_ = json::array();
  size_t failures_ = 0;
};

Result<std::string> PredicateTypeOf(const std::string& envelope) {
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope parsed, ParseDsseEnvelope(envelope));
  ASSAY_ASSIGN_OR_RETURN(json statement, ParseStrictJson(parsed.payload));
  if (!statement.is_object() || !statement.contains("predicateType") || !statement["predicateType"].is_string()) {
    return Status::InvalidInput("a record without a predicateType");
  }
  return statement["predicateType"].get<std::string>();
}

// The bundle's own keys verify signatures; only those the user names by
// fingerprint, after checking them, join the trust file with the roles the
// bundle gives them.
Status TrustNamedBundleKeys(const VerifyClaimOptions& options, const TrustFile& bundle_keys, TrustFile& trust) {
  for (const std::string& fingerprint : options.trusted_bundle_keys) {
    const TrustEntry* named = nullptr;
    for (const TrustEntry& entry : bundle_keys.entries()) {
      if (SshFingerprint(entry.key.key) == fingerprint) named = &entry;
    }
    if (named == nullptr) {
      return Status::InvalidInput(options.bundle + ": --trust-bundle-key " + fingerprint +
                                  ": the bundle holds no key with that fingerprint");
    }
    if (trust.Find(named->key.key) == nullptr) ASSAY_RETURN_IF_ERROR(trust.Add(*named));
  }
  return Status::Ok();
}

Result<ClaimEvidence> EvidenceFromBundle(const VerifyClaimOptions& options, TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(LocalFileSystem(), options.bundle, kMaxEvidenceBundleBytes));
  Result<EvidenceBundle> bundle = ParseEvidenceBundle(text);
  if (!bundle.ok()) return bundle.status().WithContext(options.bundle);
  ASSAY_RETURN_IF_ERROR(TrustNamedBundleKeys(options, bundle->keys, trust));
  std::vector<CheckedLedgerRecord> claims, models, reproductions;
  for (size_t line = 0; line < bundle->envelopes.size(); ++line) {
    const std::string& envelope = bundle->envelopes[line];
    const std::string where = options.bundle + ": line " + std::to_string(line + 1);
    Result<std::string> type = PredicateTypeOf(envelope);
    if (!type.ok()) return type.status().WithContext(where);
    const TrustRole role = *type == kReproductionPredicateType ? TrustRole::kEvaluator : TrustRole::kVendor;
    Result<CheckedLedgerRecord> record = CheckRecord(envelope, trust, role, &bundle->keys);
    if (!record.ok()) return record.status().WithContext(where);
    if (*type == kClaimPredicateType) {
      claims.push_back(std::move(*record));
    } else if (*type == kReproductionPredicateType) {
      reproductions.push_back(std::move(*record));
    } else {
      models.push_back(std::move(*record));
    }
  }
  const CheckedLedgerRecord* chosen = nullptr;
  for (const CheckedLedgerRecord& claim : claims) {
    if (claim.id.starts_with(options.claim)) chosen = &claim;
  }
  if (chosen == nullptr) return Status::InvalidInput(options.bundle + ": holds no claim " + options.claim);
  ClaimEvidence evidence;
  ASSAY_ASSIGN_OR_RETURN(evidence.claim, AssembleSignedClaim(*chosen, reproductions));
  for (CheckedLedgerRecord& model : models) {
    if (model.id == evidence.claim.claim.binding.model_record) evidence.model_record = std::move(model);
  }
  return evidence;
}

Result<ClaimEvidence> EvidenceFromLedger(const VerifyClaimOptions& options, const TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ClaimEvidence evidence;
  ASSAY_ASSIGN_OR_RETURN(evidence.claim, LoadSignedClaim(*index, options.claim, trust));
  const std::string& model_id = evidence.claim.claim.binding.model_record;
  if (!model_id.empty()) {
    ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, index->Envelope(model_id));
    if (envelope) {
      ASSAY_ASSIGN_OR_RETURN(evidence.model_record, CheckRecord(std::move(*envelope), trust, TrustRole::kVendor));
    }
  }
  return evidence;
}

void CheckModel(const ClaimEvidence& evidence, Findings& findings) {
  const ClaimBinding& binding = evidence.claim.claim.binding;
  if (!binding.bound_to_weights()) {
    findings.Pass("weights", "an endpoint claim, NOT BOUND TO WEIGHTS: nothing to check");
    return;
  }
  if (!evidence.model_record) {
    findings.Fail("model", "model record " + binding.model_record + " is not available");
    return;
  }
  const CheckedLedgerRecord& record = *evidence.model_record;
  if (!record.trusted) {
    findings.Fail("model", "model record " + record.id.substr(0, 16) + ": " + record.problem);
    return;
  }
  Result<ModelRecord> model = ParseModelStatement(record.payload);
  bool has_root = false;
  if (model.ok()) {
    for (const WeightsRootRecord& root : model->manifest.weights_roots) {
      has_root |= ToHex(root.root) == binding.weights_root && WeightFormatName(root.format) == binding.weights_format;
    }
  }
  if (!has_root) {
    findings.Fail("model", "model record " + record.id.substr(0, 16) + " does not hold the weights root the claim binds");
    return;
  }
  findings.Pass("model", "record " + record.id.substr(0, 16) + " signed by " + record.signers.front() +
                             ", holds the bound root " + binding.weights_root.substr(0, 16));
}

Status CheckWeights(const std::string& folder, const ClaimBinding& binding, Findings& findings) {
  if (folder.empty()) return Status::Ok();
  if (!binding.bound_to_weights()) return Status::InvalidInput("--weights: the claim is about an endpoint, not weights");
  ASSAY_ASSIGN_OR_RETURN(ModelManifest manifest, BuildModelManifest(LocalFileSystem(), folder, ManifestOptions()));
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    if (WeightFormatName(root.format) != binding.weights_format) continue;
    if (ToHex(root.root) == binding.weights_root) {
      findings.Pass("weights", folder + " hashes to the bound root");
    } else {
      findings.Fail("weights", folder + " hashes to " + ToHex(root.root) + ", not the bound " + binding.weights_root +
                                   " ('assay diff' says which tensors differ)");
    }
    return Status::Ok();
  }
  findings.Fail("weights", folder + " has no " + binding.weights_format + " tensors");
  return Status::Ok();
}

Status CheckTranscript(const std::string& path, const EvalSummary& eval, Findings& findings) {
  if (path.empty()) return Status::Ok();
  if (!eval.transcript) return Status::InvalidInput("--transcript: the claim commits to no transcript");
  Result<Transcript> transcript = ReadTranscriptOpening(LocalFileSystem(), path);
  if (!transcript.ok()) {
    if (transcript.status().kind() != ErrorKind::kCheckFailed) return transcript.status();
    findings.Fail("transcript", transcript.status().message());
    return Status::Ok();
  }
  if (ToHex(transcript->root) != eval.transcript->root) {
    findings.Fail("transcript", path + " has root " + ToHex(transcript->root) + ", not the committed " + eval.transcript->root);
    return Status::Ok();
  }
  findings.Pass("transcript", path + ": " + std::to_string(transcript->leaves.size()) + " samples hash to the committed root");
  ASSAY_ASSIGN_OR_RETURN(std::vector<EvalSample> samples, SamplesOf(*transcript));
  for (const RecordedMetric& recorded : eval.metrics) {
    const ScoreRecomputation score = RecomputeScore(recorded.metric, samples);
    const std::string check = "score";
    if (!score.recomputed) {
      if (recorded.recomputed) {
        findings.Fail(check, recorded.metric.name + ": the claim says it recomputed, but " + score.why_not);
      } else {
        findings.Pass(check, recorded.metric.name + ": not recomputable, as the claim says (" + score.why_not + ")");
      }
    } else if (score.value_matches) {
      findings.Pass(check, recorded.metric.name + " " + FormatMetricValue(recorded.metric) + " recomputed from " +
                               std::to_string(score.n) + " samples");
    } else {
      findings.Fail(check, recorded.metric.name + ": " + score.value_mismatch);
    }
  }
  return Status::Ok();
}

// A reproduction counts only when its signer counts as an evaluator; an
// altered one fails. Every verdict of one that counts is recomputed as far as
// the two records allow, never taken as written.
void CheckReproductions(const SignedClaim& claim, Findings& findings) {
  for (const SignedReproduction& signed_reproduction : claim.reproductions) {
    const Reproduction& reproduction = signed_reproduction.reproduction;
    const std::string id = signed_reproduction.id.substr(0, 16);
    if (signed_reproduction.altered) {
      findings.Fail("reproduction", id + ": " + signed_reproduction.problem);
      continue;
    }
    if (!signed_reproduction.trusted) {
      findings.NotCounted("reproduction", id + " NOT COUNTED, nor its verdicts: " + signed_reproduction.problem);
      continue;
    }
    if (std::optional<std::string> problem = WeightsMatchProblem(claim.claim, reproduction)) {
      findings.Fail("reproduction", id + ": " + *problem);
      continue;
    }
    findings.Pass("reproduction", id + " by " + signed_reproduction.signers.front());
    for (const MetricVerdict& verdict : reproduction.verdicts) {
      if (std::optional<std::string> problem = RecordedVerdictProblem(claim.claim, reproduction, verdict)) {
        findings.Fail("verdict", verdict.metric + ": " + *problem);
      } else {
        findings.Pass("verdict", verdict.metric + " " + VerdictWord(verdict.kind) + ": " + DescribeComparison(verdict));
      }
    }
  }
}

Status RunVerifyClaim(const VerifyClaimOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.trust_path)));
  ClaimEvidence evidence;
  if (!options.bundle.empty()) {
    ASSAY_ASSIGN_OR_RETURN(evidence, EvidenceFromBundle(options, trust));
  } else {
    if (options.claim.empty()) return Status::InvalidInput("give the claim's id (or --bundle FILE)");
    ASSAY_ASSIGN_OR_RETURN(evidence, EvidenceFromLedger(options, trust));
  }
  const SignedClaim& claim = evidence.claim;
  Findings findings;
  if (claim.trusted) {
    findings.Pass("signature", "claim " + claim.id.substr(0, 16) + " signed by " + claim.signers.front());
  } else {
    findings.Fail("signature", "claim " + claim.id.substr(0, 16) + ": " + claim.problem);
  }
  CheckModel(evidence, findings);
  ASSAY_RETURN_IF_ERROR(CheckWeights(options.weights_dir, claim.claim.binding, findings));
  ASSAY_RETURN_IF_ERROR(CheckTranscript(options.transcript, claim.claim.eval, findings));
  if (!claim.claim.model_mismatch.empty()) findings.Pass("log model", "MISMATCH recorded: " + claim.claim.model_mismatch);
  CheckReproductions(claim, findings);

  if (options.json) {
    std::printf("%s\n", json{{"claim", claim.id}, {"ok", findings.ok()}, {"checks", findings.entries()}}.dump(2).c_str());
  } else {
    Print("claim      %s\n", claim.id);
    PrintClaimSummary(claim.claim);
    Print("\n");
    findings.Print();
  }
  if (!findings.ok()) return Status::CheckFailed(std::to_string(findings.failures()) + " check(s) failed for claim " + claim.id);
  return Status::Ok();
}

}  // namespace

void AddVerifyClaimCommand(CLI::App& verify, Status& outcome) {
  auto options = std::make_shared<VerifyClaimOptions>();
  CLI::App* command = verify.add_subcommand("claim", "check a claim: signatures, weights, transcript and scores");
  command->add_option("CLAIM", options->claim, "the claim: id or id prefix (optional with --bundle)");
  AddLedgerOption(*command, options->ledger);
  command->add_option("--trust", options->trust_path, "trust file (whose signatures count)");
  command->add_option("--weights", options->weights_dir, "a model folder that must hash to the claim's weights root");
  command->add_option("--transcript", options->transcript, "the claim's transcript opening: root and scores are recomputed");
  command->add_option("--bundle", options->bundle, "read the records from an evidence bundle, not the ledger");
  command->add_option("--trust-bundle-key", options->trusted_bundle_keys,
                      "trust this key of the bundle (SHA256:... fingerprint, checked by you), in the roles the "
                      "bundle gives it (repeatable)");
  command->add_flag("--json", options->json, "print the checks as JSON");
  command->callback([options, &outcome] { outcome = RunVerifyClaim(*options); });
}

}  // namespace assay::cli
