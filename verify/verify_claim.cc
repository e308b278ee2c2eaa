// assay verify claim ID: checks a claim the way a sceptical reader would
// (docs/usage.md): the claim's signature counts (a vendor in the trust file),
// its model record is there, trusted and holds the root the claim binds; and,
// when given, the weights folder hashes to that root and the transcript
// opening hashes to the committed transcript root and supports every claimed
// score. Reproductions are listed with their verdicts; an aggregates-only
// verdict is recomputed from its recorded numbers. With --bundle the records
// come from an evidence bundle instead of the ledger. Exit 1 on any failure.
#include <cstdio>
#include <memory>

#include "claim/evidence_bundle.h"
#include "claim/score_recompute.h"
#include "claim/transcript_opening.h"
#include "cli/claim_report.h"
#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/ledger_records.h"
#include "cli/verdict_report.h"
#include "formats/strict_json.h"
#include "model/model_manifest.h"
#include "model/model_record_reader.h"
#include "sign/dsse.h"

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
  bool trust_bundle_keys = false;
  bool json = false;
};

// The claim, its model record and its reproductions, wherever they came from.
struct ClaimEvidence {
  SignedClaim claim;
  std::optional<CheckedLedgerRecord> model_record;
};

class Findings {
 public:
  void Pass(const std::string& check, const std::string& detail) { Add(check, true, detail); }
  void Fail(const std::string& check, const std::string& detail) { Add(check, false, detail); }
  bool ok() const { return failures_ == 0; }
  size_t failures() const { return failures_; }
  const json& entries() const { return entries_; }
  void Print() const {
    for (const json& entry : entries_) {
      std::printf("%-4s %-11s %s\n", entry["ok"].get<bool>() ? "ok" : "FAIL", entry["check"].get<std::string>().c_str(),
                  entry["detail"].get<std::string>().c_str());
    }
  }

 private:
  void Add(const std::string& check, bool ok, const std::string& detail) {
    entries_.push_back({{"check", check}, {"ok", ok}, {"detail", detail}});
    failures_ += ok ? 0 : 1;
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

Result<ClaimEvidence> EvidenceFromBundle(const VerifyClaimOptions& options, TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(LocalFileSystem(), options.bundle, kMaxEvidenceBundleBytes));
  Result<EvidenceBundle> bundle = ParseEvidenceBundle(text);
  if (!bundle.ok()) return bundle.status().WithContext(options.bundle);
  if (options.trust_bundle_keys) {
    for (const TrustEntry& entry : bundle->keys.entries()) {
      if (trust.Find(entry.key.key) == nullptr) ASSAY_RETURN_IF_ERROR(trust.Add(entry));
    }
  }
  std::vector<CheckedLedgerRecord> claims, models, reproductions;
  for (const std::string& envelope : bundle->envelopes) {
    Result<std::string> type = PredicateTypeOf(envelope);
    if (!type.ok()) return type.status().WithContext(options.bundle);
    const TrustRole role = *type == kReproductionPredicateType ? TrustRole::kEvaluator : TrustRole::kVendor;
    Result<CheckedLedgerRecord> record = CheckRecord(envelope, trust, role);
    if (!record.ok()) return record.status().WithContext(options.bundle);
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

// A recorded aggregates-only verdict must follow from its own numbers.
void CheckReproductions(const SignedClaim& claim, Findings& findings) {
  for (const SignedReproduction& signed_reproduction : claim.reproductions) {
    const Reproduction& reproduction = signed_reproduction.reproduction;
    std::string who = signed_reproduction.trusted ? signed_reproduction.signers.front()
                                                  : "an untrusted signer (" + signed_reproduction.problem + ")";
    findings.Pass("reproduction", signed_reproduction.id.substr(0, 16) + " by " + who);
    for (const MetricVerdict& verdict : reproduction.verdicts) {
      if (verdict.comparison && verdict.comparison->tier == EvidenceTier::kAggregatesOnly) {
        const RecordedMetric* claimed = claim.claim.eval.FindMetric(verdict.metric);
        const RecordedMetric* theirs = reproduction.eval.FindMetric(verdict.metric);
        if (claimed != nullptr && theirs != nullptr) {
          const MetricVerdict again = CompareAggregates(
              verdict.metric, {claimed->metric.value, claimed->metric.stderr_value, claimed->samples},
              {theirs->metric.value, theirs->metric.stderr_value, theirs->samples}, verdict.comparison->higher_is_better,
              verdict.comparison->scale, VerdictOptions{.margin = verdict.margin});
          if (again.kind != verdict.kind) {
            findings.Fail("verdict", verdict.metric + ": recorded " + std::string(VerdictKindName(verdict.kind)) +
                                         ", but its numbers give " + std::string(VerdictKindName(again.kind)));
            continue;
          }
        }
      }
      findings.Pass("verdict", verdict.metric + " " + VerdictWord(verdict.kind) + ": " + DescribeComparison(verdict));
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
    std::printf("claim      %s\n", claim.id.c_str());
    PrintClaimSummary(claim.claim);
    std::printf("\n");
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
  command->add_flag("--trust-bundle-keys", options->trust_bundle_keys,
                    "trust the keys the bundle names, in the roles it gives them (check their fingerprints first)");
  command->add_flag("--json", options->json, "print the checks as JSON");
  command->callback([options, &outcome] { outcome = RunVerifyClaim(*options); });
}

}  // namespace assay::cli
