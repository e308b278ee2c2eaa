#include "ops/deployment_ops.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "ops/attest_claim.h"
#include "ops/signed_claim.h"
#include "record/in_toto.h"
#include "record/model_statement.h"
#include "utc_time.h"

namespace assay {
namespace {

// An RFC 3339 time as the record keeps it: UTC, whole seconds.
Result<std::string> UtcTimeFlag(const std::string& flag, const std::string& text) {
  const std::optional<int64_t> seconds = ParseIsoTime(text);
  if (!seconds) return Status::InvalidInput(flag + " '" + text + "': expected an RFC 3339 time, e.g. 2026-12-01T09:00:00Z");
  return FormatUtcTime(*seconds);
}


}  // namespace

ModelRecordRef ModelRecordRefOf(const ResolvedModel& resolved) {
  ModelRecordRef model{resolved.record->id, resolved.model->identity.name, resolved.model->identity.revision, {}};
  for (const WeightsRootRecord& root : resolved.model->manifest.weights_roots) {
    model.weights_roots.push_back(std::string(WeightFormatName(root.format)) + ":" + ToHex(root.root));
  }
  return model;
}

Result<ResolvedModel> FindModelRecord(Context& context, Ledger& ledger, const std::string& reference) {
  ModelReferenceOptions options;
  options.folders = false;
  options.report_only = true;
  return ResolveModelInLedger(context, ledger, reference, options);
}

Result<AttestedDeployment> AttestDeployment(Context& context, const AttestDeploymentRequest& request) {
  AttestedDeployment attested;
  Deployment& deployment = attested.deployment;
  ASSAY_ASSIGN_OR_RETURN(deployment.endpoint, ParseEndpoint(request.endpoint));
  if (request.from.empty()) {
    deployment.from = FormatUtcTime(context.NowUnixSeconds());
  } else {
    ASSAY_ASSIGN_OR_RETURN(deployment.from, UtcTimeFlag("--from", request.from));
  }
  if (!request.until.empty()) {
    ASSAY_ASSIGN_OR_RETURN(deployment.until, UtcTimeFlag("--until", request.until));
    if (*ParseIsoTime(*deployment.until) <= *ParseIsoTime(deployment.from)) {
      return Status::InvalidInput("--until " + *deployment.until + " is not after --from " + deployment.from);
    }
  }
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  ASSAY_ASSIGN_OR_RETURN(ResolvedModel resolved, FindModelRecord(context, *ledger, request.model));
  ModelRecordRef model = ModelRecordRefOf(resolved);  // a ledger reference always has a record
  deployment.model_record = std::move(model.record);
  deployment.model_name = std::move(model.name);
  deployment.model_revision = std::move(model.revision);
  deployment.weights_roots = std::move(model.weights_roots);
  ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(DeploymentStatement(deployment)));
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  const TrustEntry* entry = trust.Find(key->public_key().key);
  if (entry == nullptr || !entry->HasRole(TrustRole::kHost) || entry->name != deployment.endpoint.provider) {
    context.output.Warn("this deployment will not count: only the host named " + deployment.endpoint.provider +
                        " in the trust file, in the role host, declares what " + EndpointName(deployment.endpoint) +
                        " serves");
  }
  ASSAY_ASSIGN_OR_RETURN(attested.published,
                         Publish(context, statement, PublishOptions{key, /*append=*/true, request.output_path}));
  return attested;
}

Result<std::vector<JudgedDeployment>> JudgeDeployments(Context& context, Ledger& ledger, const TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> entries, ledger.index().RecordsOfPredicateType(kDeploymentPredicateType));
  std::vector<JudgedDeployment> all;
  for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {  // oldest first
    ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger.FindRecord(entry->id));
    Result<CheckedRecord> judged = JudgeForPredicate(context, found.envelope, trust, kDeploymentPredicateType);
    if (!judged.ok() || judged->altered()) continue;
    Result<Deployment> deployment = ParseDeploymentStatement(judged->payload);
    if (!deployment.ok()) continue;
    JudgedDeployment one{judged->id, std::move(*deployment), SignerName(*judged), judged->problem, "", entry->position};
    if (judged->counts()) {
      one.problem = one.host == one.deployment.endpoint.provider
                        ? ""
                        : "signed by " + one.host + ", not by " + one.deployment.endpoint.provider +
                              ": one host cannot declare another's endpoints";
    }
    one.ended = one.deployment.until.value_or("");
    all.push_back(std::move(one));
  }
  // A counting deployment of an endpoint ends at the next counting one's start.
  std::map<std::string, std::vector<JudgedDeployment*>> by_endpoint;
  for (JudgedDeployment& one : all) {
    if (one.problem.empty()) by_endpoint[EndpointName(one.deployment.endpoint)].push_back(&one);
  }
  for (auto& [endpoint, deployments] : by_endpoint) {
    std::stable_sort(deployments.begin(), deployments.end(), [](const JudgedDeployment* a, const JudgedDeployment* b) {
      return *ParseIsoTime(a->deployment.from) < *ParseIsoTime(b->deployment.from);
    });
    for (size_t i = 0; i + 1 < deployments.size(); ++i) {
      const std::string& next = deployments[i + 1]->deployment.from;
      std::string& ended = deployments[i]->ended;
      if (ended.empty() || *ParseIsoTime(next) < *ParseIsoTime(ended)) ended = next;
    }
  }
  return all;
}

std::vector<JudgedDeployment> NamingModelRecord(const std::vector<JudgedDeployment>& deployments,
                                                const std::string& model_record) {
  std::vector<JudgedDeployment> named;
  std::copy_if(deployments.begin(), deployments.end(), std::back_inserter(named),
               [&](const JudgedDeployment& one) { return one.deployment.model_record == model_record; });
  return named;
}

std::vector<JudgedDeployment> OfEndpoint(const std::vector<JudgedDeployment>& deployments, const Endpoint& endpoint) {
  std::vector<JudgedDeployment> of;
  std::copy_if(deployments.begin(), deployments.end(), std::back_inserter(of), [&](const JudgedDeployment& one) {
    return EndpointName(one.deployment.endpoint) == EndpointName(endpoint);
  });
  return of;
}

const JudgedDeployment* ServingAt(const std::vector<JudgedDeployment>& deployments, int64_t when) {
  const JudgedDeployment* serving = nullptr;
  for (const JudgedDeployment& one : deployments) {
    if (!one.problem.empty() || *ParseIsoTime(one.deployment.from) > when) continue;
    if (!one.ended.empty() && *ParseIsoTime(one.ended) <= when) continue;
    serving = &one;
  }
  return serving;
}

Result<std::vector<ServedClaim>> ClaimsServedBy(Context& context, Ledger& ledger, const TrustFile& trust,
                                                const std::vector<JudgedDeployment>& all,
                                                const std::vector<JudgedDeployment>& deployments) {
  std::set<std::string> endpoints, ours;
  for (const JudgedDeployment& one : deployments) {
    endpoints.insert(EndpointName(one.deployment.endpoint));
    ours.insert(one.record);
  }
  std::vector<ServedClaim> served;
  for (const JudgedDeployment& one : deployments) {
    if (!endpoints.erase(EndpointName(one.deployment.endpoint))) continue;  // each endpoint once
    const Endpoint& endpoint = one.deployment.endpoint;
    const std::vector<JudgedDeployment> of_endpoint = OfEndpoint(all, endpoint);
    ASSAY_ASSIGN_OR_RETURN(std::vector<ClaimEntry> entries, ledger.index().ClaimsOfEndpoint(endpoint.provider, endpoint.model));
    for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {  // oldest first
      ASSAY_ASSIGN_OR_RETURN(SignedClaim claim, LoadSignedClaim(context, ledger, trust, entry->record.id));
      const std::optional<int64_t>& started = claim.claim.eval.started;
      const JudgedDeployment* serving = started ? ServingAt(of_endpoint, *started) : nullptr;
      if (serving != nullptr && ours.contains(serving->record)) served.push_back({std::move(claim), *serving});
    }
  }
  std::stable_sort(served.begin(), served.end(), [](const ServedClaim& a, const ServedClaim& b) {
    return *a.claim.claim.eval.started < *b.claim.claim.eval.started;
  });
  return served;
}

}  // namespace assay
