#include "ops/verify_claim.h"

#include <algorithm>
#include <map>
#include <span>

#include "claim/claim_text.h"
#include "claim/group_score.h"
#include "claim/score_recompute.h"
#include "claim/transcript_opening.h"
#include "claim/verdict_check.h"
#include "json/strict_json.h"
#include "model/model_manifest.h"
#include "ops/publish.h"
#include "ops/plan_ops.h"
#include "ops/revocation_ops.h"
#include "ops/signed_claim.h"
#include "record/evidence_bundle.h"
#include "record/in_toto.h"
#include "record/model_record_reader.h"
#include "ops/deployment_ops.h"
#include "sign/dsse.h"
#include "sign/openssh_key.h"
#include "utc_time.h"

namespace assay {
namespace {

// The claim, its model record and its reproductions, wherever they came from.
struct ClaimEvidence {
  SignedClaim claim;
  std::optional<CheckedRecord> model_record;
  std::vector<JudgedDeployment> deployments;  // of an endpoint claim's endpoint (from a ledger only)
  Withdrawals withdrawals;                    // the ledger's revocations, or the bundle's
};

class Checks {
 public:
  explicit Checks(std::vector<ClaimCheck>& out) : out_(out) {}
  void Pass(std::string check, std::string detail, std::optional<RecordSigner> signer = std::nullopt) {
    out_.push_back({std::move(check), CheckOutcome::kPass, std::move(detail), std::move(signer)});
  }
  void Fail(std::string check, std::string detail) {
    out_.push_back({std::move(check), CheckOutcome::kFail, std::move(detail), std::nullopt});
  }
  void NotCounted(std::string check, std::string detail) {
    out_.push_back({std::move(check), CheckOutcome::kNotCounted, std::move(detail), std::nullopt});
  }

 private:
  std::vector<ClaimCheck>& out_;
};

std::string Short(const std::string& id) { return id.substr(0, 16); }


// The bundle's own keys verify signatures; only those the user names by
// fingerprint, after checking them, join the trust file with the roles the
// bundle gives them.
Status TrustNamedBundleKeys(const VerifyClaimRequest& request, const TrustFile& bundle_keys, TrustFile& trust) {
  for (const std::string& fingerprint : request.trusted_bundle_keys) {
    const TrustEntry* named = nullptr;
    for (const TrustEntry& entry : bundle_keys.entries()) {
      if (SshFingerprint(entry.key.key) == fingerprint) named = &entry;
    }
    if (named == nullptr) {
      return Status::InvalidInput(request.bundle + ": --trust-bundle-key " + fingerprint +
                                  ": the bundle holds no key with that fingerprint");
    }
    if (trust.Find(named->key.key) == nullptr) ASSAY_RETURN_IF_ERROR(trust.Add(*named));
  }
  return Status::Ok();
}

Result<ClaimEvidence> EvidenceFromBundle(Context& context, const VerifyClaimRequest& request, TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(context.fs, request.bundle, kMaxEvidenceBundleBytes));
  Result<EvidenceBundle> bundle = ParseEvidenceBundle(text);
  if (!bundle.ok()) return bundle.status().WithContext(request.bundle);
  ASSAY_RETURN_IF_ERROR(TrustNamedBundleKeys(request, bundle->keys, trust));
  std::vector<CheckedRecord> claims, models, reproductions, plans;
  std::vector<std::string> revocations;
  std::map<std::string, std::string> by_id;  // every bundled envelope, by record id
  for (size_t line = 0; line < bundle->envelopes.size(); ++line) {
    const std::string& envelope = bundle->envelopes[line];
    const std::string where = request.bundle + ": line " + std::to_string(line + 1);
    Result<std::string> type = PredicateTypeOfEnvelope(envelope);
    if (!type.ok()) return type.status().WithContext(where);
    Result<CheckedRecord> record = JudgeForPredicate(context, envelope, trust, *type, &bundle->keys);
    if (!record.ok()) return record.status().WithContext(where);
    by_id.emplace(record->id, envelope);
    if (*type == kRevocationPredicateType) {
      revocations.push_back(envelope);
    } else if (*type == kPlanPredicateType) {
      plans.push_back(std::move(*record));
    } else if (IsClaimPredicateType(*type)) {
      claims.push_back(std::move(*record));
    } else if (IsReproductionPredicateType(*type)) {
      reproductions.push_back(std::move(*record));
    } else {
      models.push_back(std::move(*record));
    }
  }
  auto chosen = std::find_if(claims.rbegin(), claims.rend(),
                             [&](const CheckedRecord& claim) { return claim.id.starts_with(request.claim); });
  if (chosen == claims.rend()) return Status::InvalidInput(request.bundle + ": holds no claim " + request.claim);
  ClaimEvidence evidence;
  ASSAY_ASSIGN_OR_RETURN(evidence.claim, AssembleSignedClaim(std::move(*chosen), std::move(reproductions)));
  ASSAY_ASSIGN_OR_RETURN(evidence.withdrawals,
                         Withdrawals::Judge(context, revocations, trust,
                                            [&by_id](const std::string& id) -> std::optional<std::string> {
                                              const auto found = by_id.find(id);
                                              if (found == by_id.end()) return std::nullopt;
                                              return found->second;
                                            },
                                            &bundle->keys));
  AttachBundledPlans(plans, evidence.claim);
  for (CheckedRecord& model : models) {
    if (model.id == evidence.claim.claim.binding.model_record) evidence.model_record = std::move(model);
  }
  return evidence;
}

Result<ClaimEvidence> EvidenceFromLedger(Context& context, const VerifyClaimRequest& request, const TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context, /*create=*/false));
  ClaimEvidence evidence;
  ASSAY_ASSIGN_OR_RETURN(evidence.claim, LoadSignedClaim(context, *ledger, trust, request.claim));
  ASSAY_ASSIGN_OR_RETURN(std::vector<WitnessedCheckpoint> witnessed,
                         ReadWitnessedCheckpoints(context, *ledger, trust, request.checkpoints));
  JudgeRegistrations(witnessed, evidence.claim);
  ASSAY_ASSIGN_OR_RETURN(evidence.withdrawals, Withdrawals::Load(context, *ledger, trust));
  if (const std::optional<Endpoint>& endpoint = evidence.claim.claim.binding.endpoint) {
    ASSAY_ASSIGN_OR_RETURN(const std::vector<JudgedDeployment> deployments, JudgeDeployments(context, *ledger, trust));
    evidence.deployments = OfEndpoint(deployments, *endpoint);
  }
  const std::string& model_id = evidence.claim.claim.binding.model_record;
  if (model_id.empty()) return evidence;
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, ledger->index().Envelope(model_id));
  if (envelope) {
    ASSAY_ASSIGN_OR_RETURN(evidence.model_record, JudgeRecord(context, *envelope, trust, TrustRole::kVendor));
  }
  return evidence;
}

// What the endpoint's host said it served when the run started: its word,
// shown, never a pass or fail of the claim.
void CheckServedWeights(const ClaimEvidence& evidence, Checks& checks) {
  const Endpoint& endpoint = *evidence.claim.claim.binding.endpoint;
  const std::string name = EndpointName(endpoint);
  const std::optional<int64_t>& started = evidence.claim.claim.eval.started;
  if (!started) {
    checks.Pass("served", "the run's start is not in its log: which weights " + name + " served then is not known");
    return;
  }
  const JudgedDeployment* serving = ServingAt(evidence.deployments, *started);
  if (serving == nullptr) {
    checks.Pass("served", "no host declared what " + name + " served at the run's start (" + FormatUtcTime(*started) +
                              ", asserted by its log)");
    return;
  }
  const Deployment& deployment = serving->deployment;
  checks.Pass("served", "at the run's start (" + FormatUtcTime(*started) + ", asserted by its log) host " + serving->host + " says " + name +
                            " served model record " + Short(deployment.model_record) + " (" + deployment.model_name +
                            (deployment.model_revision ? " @ " + *deployment.model_revision : "") + "; deployment " +
                            Short(serving->record) + ")");
}

void CheckModel(const ClaimEvidence& evidence, Checks& checks) {
  const ClaimBinding& binding = evidence.claim.claim.binding;
  if (!binding.bound_to_weights()) {
    checks.Pass("weights", "an endpoint claim, NOT BOUND TO WEIGHTS: nothing to check");
    CheckServedWeights(evidence, checks);
    return;
  }
  if (!evidence.model_record) {
    checks.Fail("model", "model record " + binding.model_record + " is not available");
    return;
  }
  const CheckedRecord& record = *evidence.model_record;
  if (!record.counts()) {
    checks.Fail("model", "model record " + Short(record.id) + ": " + record.problem);
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
    checks.Fail("model", "model record " + Short(record.id) + " does not hold the weights root the claim binds");
    return;
  }
  checks.Pass("model", "record " + Short(record.id) + " (holds the bound root " + Short(binding.weights_root) + ")",
              record.signers.front());
}

Status CheckWeights(Context& context, const std::string& folder, const ClaimBinding& binding, Checks& checks) {
  if (folder.empty()) return Status::Ok();
  if (!binding.bound_to_weights()) return Status::InvalidInput("--weights: the claim is about an endpoint, not weights");
  std::unique_ptr<ProgressSink> progress = context.output.Progress("hashing", 0);
  ManifestOptions options;  // no cache: every byte is read
  options.progress = progress.get();
  ASSAY_ASSIGN_OR_RETURN(ModelManifest manifest, BuildModelManifest(context.fs, folder, options));
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    if (WeightFormatName(root.format) != binding.weights_format) continue;
    if (ToHex(root.root) == binding.weights_root) {
      checks.Pass("weights", folder + " hashes to the bound root");
    } else {
      checks.Fail("weights", folder + " hashes to " + ToHex(root.root) + ", not the bound " + binding.weights_root +
                                 " ('assay diff' says which tensors differ)");
    }
    return Status::Ok();
  }
  checks.Fail("weights", folder + " has no " + binding.weights_format + " tensors");
  return Status::Ok();
}

// Returns the values that recomputed and match, by metric name (a group's
// scores are recomputed from them).
std::map<std::string, double> CheckScores(const std::vector<RecordedMetric>& metrics, std::span<const EvalSample> samples,
                                          const std::string& task, Checks& checks) {
  std::map<std::string, double> matching;
  for (const RecordedMetric& recorded : metrics) {
    const ScoreRecomputation score = RecomputeScore(recorded.metric, samples);
    const std::string name = task.empty() ? recorded.metric.name : task + " " + recorded.metric.name;
    if (!score.recomputed) {
      if (recorded.recomputed) {
        checks.Fail("score", name + ": the claim says it recomputed, but " + score.why_not);
      } else {
        checks.Pass("score", name + ": not recomputable, as the claim says (" + score.why_not + ")");
      }
    } else if (score.value_matches) {
      checks.Pass("score", name + " " + FormatMetricValue(recorded.metric) + " recomputed from " +
                               std::to_string(score.n) + " samples");
      matching[recorded.metric.name] = score.value;
    } else {
      checks.Fail("score", name + ": " + score.value_mismatch);
    }
  }
  return matching;
}

// A group claim's: each task's scores from its own samples (ids "TASK/..."),
// then each group score from the tasks' recomputed scores by the claim's rule.
void CheckGroupScores(const EvalSummary& eval, const ScoredSamples& samples, Checks& checks) {
  Result<std::map<std::string, SampleRange>> by_task =
      TaskRanges(eval, samples.size(), [&](size_t i) { return samples.id(i); });
  if (!by_task.ok()) {
    checks.Fail("transcript", by_task.status().message());
    return;
  }
  std::map<std::string, std::map<std::string, double>> recomputed;  // metric -> task -> value
  for (const TaskSummary& task : eval.tasks) {
    const SampleRange range = (*by_task)[task.name];
    for (const auto& [metric, value] :
         CheckScores(task.metrics, samples.Slice(range.begin, range.end), task.name, checks)) {
      recomputed[metric][task.name] = value;
    }
  }
  for (const RecordedMetric& recorded : eval.metrics) {
    const std::string& name = recorded.metric.name;
    Result<GroupScoreCheck> group = RecomputeGroupScore(eval, recorded, recomputed[name]);
    if (!group.ok()) {
      checks.Fail("score", eval.benchmark + " " + name + ": " + group.status().message());
    } else if (!group->recomputed) {
      if (recorded.recomputed) {
        checks.Fail("score", eval.benchmark + " " + name + ": the claim says it recomputed, but " + group->why_not);
      } else {
        checks.Pass("score", eval.benchmark + " " + name + ": not recomputable, as the claim says (" + group->why_not + ")");
      }
    } else if (group->value_matches) {
      checks.Pass("score", eval.benchmark + " " + name + " " + FormatMetricValue(recorded.metric) +
                               " recomputed from its tasks' samples by rule " + recorded.rule);
    } else {
      checks.Fail("score", eval.benchmark + " " + name + ": its tasks' samples give " + std::to_string(group->value) +
                               " by rule " + recorded.rule + ", not the claimed " + FormatMetricValue(recorded.metric));
    }
  }
}

Status CheckTranscript(Context& context, const std::string& path, const EvalSummary& eval, Checks& checks) {
  if (path.empty()) return Status::Ok();
  if (!eval.transcript) return Status::InvalidInput("--transcript: the claim commits to no transcript");
  Result<ScannedTranscript> transcript = ScanTranscriptOpening(context.fs, path);
  if (!transcript.ok()) {
    if (transcript.status().kind() != ErrorKind::kCheckFailed) return transcript.status();
    checks.Fail("transcript", transcript.status().message());
    return Status::Ok();
  }
  if (ToHex(transcript->root) != eval.transcript->root) {
    checks.Fail("transcript", path + " has root " + ToHex(transcript->root) + ", not the committed " + eval.transcript->root);
    return Status::Ok();
  }
  const ScoredSamples& samples = transcript->scored;
  checks.Pass("transcript", path + ": " + std::to_string(samples.size()) + " samples hash to the committed root");
  if (eval.is_group()) {
    CheckGroupScores(eval, samples, checks);
  } else {
    CheckScores(eval.metrics, samples.Slice(0, samples.size()), "", checks);
  }
  return Status::Ok();
}

// A run that names a plan followed it, or the check fails saying how not;
// the registration time is said either way.
void CheckPlan(const PlanReport& plan, const std::string& whose, Checks& checks) {
  if (plan.followed()) {
    checks.Pass("plan", whose + plan.Describe());
  } else {
    checks.Fail("plan", whose + plan.Describe());
  }
}

// A reproduction counts only when its signer counts as an evaluator; an
// altered one fails. Every verdict of one that counts is recomputed as far as
// the two records allow, never taken as written.
void CheckReproductions(const SignedClaim& claim, const Withdrawals& withdrawals, Checks& checks) {
  for (const SignedReproduction& signed_reproduction : claim.reproductions) {
    const CheckedRecord& record = signed_reproduction.record;
    const Reproduction& reproduction = signed_reproduction.reproduction;
    if (record.altered()) {
      checks.Fail("reproduction", Short(record.id) + ": " + record.problem);
      continue;
    }
    if (const JudgedRevocation* withdrawn = withdrawals.Of(record.id)) {
      checks.NotCounted("reproduction", Short(record.id) + " NOT COUNTED, nor its verdicts: " + WithdrawalText(*withdrawn));
      continue;
    }
    if (!record.counts()) {
      checks.NotCounted("reproduction", Short(record.id) + " NOT COUNTED, nor its verdicts: " + record.problem);
      continue;
    }
    if (std::optional<std::string> problem = WeightsMatchProblem(claim.claim, reproduction)) {
      checks.Fail("reproduction", Short(record.id) + ": " + *problem);
      continue;
    }
    if (std::optional<std::string> problem = ComparabilityProblem(claim.claim, reproduction)) {
      if (reproduction.is_v2()) {
        checks.Fail("reproduction", Short(record.id) + ": " + *problem);
      } else {
        checks.NotCounted("reproduction", Short(record.id) + " NOT COUNTED, nor its verdicts: " + *problem);
      }
      continue;
    }
    checks.Pass("reproduction", Short(record.id), record.signers.front());
    if (signed_reproduction.plan) CheckPlan(*signed_reproduction.plan, "reproduction " + Short(record.id) + ": ", checks);
    auto check_verdicts = [&](const std::vector<MetricVerdict>& verdicts, const std::string& task) {
      const std::string prefix = task.empty() ? "" : "task " + task + " ";
      for (const MetricVerdict& verdict : verdicts) {
        if (std::optional<std::string> problem = RecordedVerdictProblem(claim.claim, reproduction, verdict, task)) {
          checks.Fail("verdict", prefix + verdict.metric + ": " + *problem);
        } else {
          checks.Pass("verdict", prefix + verdict.metric + " " + VerdictWord(verdict.kind) + ": " + DescribeComparison(verdict));
        }
      }
    };
    check_verdicts(reproduction.verdicts, "");
    for (const TaskVerdicts& task : reproduction.task_verdicts) check_verdicts(task.verdicts, task.task);
  }
}

}  // namespace

std::string_view CheckOutcomeName(CheckOutcome outcome) {
  switch (outcome) {
    case CheckOutcome::kPass:
      return "pass";
    case CheckOutcome::kFail:
      return "fail";
    case CheckOutcome::kNotCounted:
      break;
  }
  return "not counted";
}

size_t ClaimVerification::failures() const {
  return static_cast<size_t>(std::count_if(checks.begin(), checks.end(),
                                           [](const ClaimCheck& check) { return check.outcome == CheckOutcome::kFail; }));
}

Result<ClaimVerification> VerifyClaim(Context& context, const VerifyClaimRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ClaimEvidence evidence;
  if (!request.bundle.empty()) {
    ASSAY_ASSIGN_OR_RETURN(evidence, EvidenceFromBundle(context, request, trust));
  } else {
    if (request.claim.empty()) return Status::InvalidInput("give the claim's id (or --bundle FILE)");
    ASSAY_ASSIGN_OR_RETURN(evidence, EvidenceFromLedger(context, request, trust));
  }
  ClaimVerification verification;
  Checks checks(verification.checks);
  const SignedClaim& claim = evidence.claim;
  if (claim.record.counts()) {
    checks.Pass("signature", "claim " + Short(claim.record.id), claim.record.signers.front());
  } else {
    checks.Fail("signature", "claim " + Short(claim.record.id) + ": " + claim.record.problem);
  }
  // A withdrawn claim, or one about a withdrawn model record, fails: its
  // signer no longer stands by it.
  for (const auto& [what, id] : {std::pair{"claim", claim.record.id}, std::pair{"model record", claim.claim.binding.model_record}}) {
    if (const JudgedRevocation* withdrawn = evidence.withdrawals.Of(id)) {
      checks.Fail("withdrawn", std::string(what) + " " + Short(id) + " " + WithdrawalText(*withdrawn));
    }
  }
  CheckModel(evidence, checks);
  ASSAY_RETURN_IF_ERROR(CheckWeights(context, request.weights_dir, claim.claim.binding, checks));
  ASSAY_RETURN_IF_ERROR(CheckTranscript(context, request.transcript, claim.claim.eval, checks));
  if (!claim.claim.model_mismatch.empty()) checks.Pass("log model", "MISMATCH recorded: " + claim.claim.model_mismatch);
  if (claim.plan) CheckPlan(*claim.plan, "", checks);
  CheckReproductions(claim, evidence.withdrawals, checks);
  verification.claim = std::move(evidence.claim);
  return verification;
}

Status VerdictOf(const ClaimVerification& verification) {
  if (verification.ok()) return Status::Ok();
  return Status::CheckFailed(std::to_string(verification.failures()) + " check(s) failed for claim " +
                             verification.claim.record.id);
}

}  // namespace assay
