#include "ops/history_ops.h"

#include <algorithm>
#include <map>
#include <set>

#include "json/lenient_json.h"
#include "ledger/hub_history.h"
#include "model/config_diff.h"
#include "ops/deployment_ops.h"
#include "ops/plan_ops.h"
#include "ops/publish.h"
#include "ops/signed_claim.h"
#include "record/in_toto.h"
#include "record/model_record_reader.h"
#include "record/observation_statement.h"
#include "record/record_check.h"
#include "utc_time.h"

namespace assay {
namespace {

std::string Problem(const CheckedRecord& record) { return record.counts() ? "" : record.problem; }

// What a revision's files say, by path: the pointer's oid (LFS) or the blob's
// digest; and the JSON config files whose text the observation kept.
struct FileTable {
  std::map<std::string, std::pair<bool, std::string>> files;  // path -> (kept in LFS, digest)
  std::map<std::string, std::string> texts;                   // path -> the file
  std::vector<std::string> parents;
};

FileTable TableOf(const Observation& observation) {
  FileTable table;
  for (const ObservedFile& file : observation.files) {
    table.files[file.path] = file.lfs_oid ? std::pair{true, *file.lfs_oid} : std::pair{false, *file.sha256};
    if (file.text) table.texts[file.path] = *file.text;
  }
  table.parents = observation.parents;
  return table;
}

// The config files kept in git, each with its keys when its text is known and is JSON.
std::vector<ConfigFile> ConfigFilesOf(const FileTable& table) {
  std::vector<ConfigFile> configs;
  for (const auto& [path, file] : table.files) {
    if (file.first || !IsConfigFile(path)) continue;
    ConfigFile config{path, *Sha256FromHex(file.second), ConfigFileKindOf(path), std::nullopt, std::nullopt};
    if (auto text = table.texts.find(path); text != table.texts.end()) {
      if (Result<nlohmann::json> parsed = ParseLenientJson(text->second); parsed.ok()) config.json = std::move(*parsed);
    }
    configs.push_back(std::move(config));
  }
  return configs;
}

void CompareTables(const FileTable& before, const FileTable& after, HistoryRevision& revision) {
  auto note = [&](const std::string& path, bool lfs, const char* change) {
    (lfs ? revision.weight_changes : revision.file_changes).push_back({path, change});
  };
  for (const auto& [path, file] : after.files) {
    const auto old = before.files.find(path);
    if (old == before.files.end()) {
      note(path, file.first, "added");
    } else if (old->second != file) {
      note(path, file.first || old->second.first, "changed");
    }
  }
  for (const auto& [path, file] : before.files) {
    if (!after.files.contains(path)) note(path, file.first, "removed");
  }
  for (ConfigFileDifference& file : DiffConfigs(ConfigFilesOf(before), ConfigFilesOf(after)).files) {
    if (file.change == Change::kChanged && file.keys_known) revision.config_changes.files.push_back(std::move(file));
  }
}

// A model record held against a revision's files: each file of the record
// that the revision lists, digest against digest.
void CompareBytes(const ModelRecord& record, const FileTable& table, BytesCheck& check) {
  for (const FileRecord& file : record.manifest.files) {
    const auto observed = table.files.find(file.path);
    if (observed == table.files.end() || observed->second.second == ToHex(file.sha256)) continue;
    check.pointers_differ |= observed->second.first;
    check.mismatches.push_back(file.path + ": " + (observed->second.first ? "pointer " : "git ") +
                               observed->second.second.substr(0, 16) + ", bytes " + ToHex(file.sha256).substr(0, 16));
  }
}

// Whether every weight file of the record is in the table with its digest.
bool WeightsMatch(const ModelRecord& record, const FileTable& table) {
  bool any = false;
  for (const FileRecord& file : record.manifest.files) {
    if (file.format == WeightFormat::kOther) continue;
    const auto observed = table.files.find(file.path);
    if (observed == table.files.end() || observed->second.second != ToHex(file.sha256)) return false;
    any = true;
  }
  return any;
}

class HistoryBuilder {
 public:
  HistoryBuilder(Context& context, Ledger& ledger, const TrustFile& trust, std::vector<WitnessedCheckpoint> witnessed)
      : context_(context), ledger_(ledger), trust_(trust), witnessed_(std::move(witnessed)) {}

  Status AddObservations(const std::string& source) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> entries,
                           ledger_.index().RecordsOfPredicateType(kObservationPredicateType));
    for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {  // oldest first
      ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger_.FindRecord(entry->id));
      Result<CheckedRecord> judged = JudgeForPredicate(context_, found.envelope, trust_, kObservationPredicateType);
      if (!judged.ok() || judged->altered()) continue;
      Result<Observation> observation = ParseObservationStatement(judged->payload);
      if (!observation.ok() || observation->source != source) continue;
      const RevisionObserver observer{SignerName(*judged), observation->observed_at, judged->id, Problem(*judged),
                                      Witnessed(entry->position)};
      HistoryRevision& revision = Revision(observation->commit);
      if (revision.time.empty()) {
        revision.time = observation->time;
        revision.author = observation->author;
        revision.subject = observation->message.substr(0, observation->message.find('\n'));
      }
      revision.observers.push_back(observer);
      // A counting observer's table stands over one that does not count.
      if (!tables_.contains(observation->commit) || (observer.problem.empty() && !counted_.contains(observation->commit))) {
        tables_[observation->commit] = TableOf(*observation);
        if (observer.problem.empty()) counted_.insert(observation->commit);
      }
      for (const MissingRevision& missing : observation->missing_revisions) {
        gone_.try_emplace(missing.commit, observer);
      }
    }
    return Status::Ok();
  }

  Status AddModelRecords(const std::string& model) {
    if (model.empty()) return Status::Ok();
    ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> models, ledger_.index().ModelsByName(model, std::nullopt));
    ASSAY_ASSIGN_OR_RETURN(const std::vector<JudgedDeployment> deployments, JudgeDeployments(context_, ledger_, trust_));
    const std::vector<HistoryRevision*> observed = Ordered();  // model records add no observed revision
    RecordPolicy policy;
    policy.now_unix_seconds = context_.NowUnixSeconds();
    for (auto entry = models.rbegin(); entry != models.rend(); ++entry) {
      ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger_.FindRecord(entry->record.id));
      Result<CheckedRecord> judged = CheckRecord(found.envelope, trust_, policy);
      if (!judged.ok() || judged->altered()) continue;
      Result<ModelRecord> record = ParseModelStatement(judged->payload);
      if (!record.ok()) continue;
      BytesCheck check{judged->id, SignerName(*judged), Problem(*judged), false, {}, false, Witnessed(entry->record.position)};
      const std::string label = entry->model.hub_revision.value_or(record->identity.revision.value_or(""));
      HistoryRevision* revision = nullptr;
      if (tables_.contains(label)) {
        revision = &Revision(label);
        CompareBytes(*record, tables_.at(label), check);
      } else {
        // A label: the oldest observed revision whose pointers are its weights.
        for (HistoryRevision* candidate : observed) {
          if (WeightsMatch(*record, tables_.at(candidate->commit))) {
            revision = candidate;
            check.by_digests = true;
            break;
          }
        }
      }
      if (revision == nullptr) {
        unmatched_.push_back(HistoryRevision{});
        revision = &unmatched_.back();
        revision->label = label;
      }
      revision->hashed.push_back(std::move(check));
      ASSAY_RETURN_IF_ERROR(AddClaims(judged->id, *revision));
      const std::vector<JudgedDeployment> of_record = NamingModelRecord(deployments, judged->id);
      for (const JudgedDeployment& one : of_record) {
        revision->deployments.push_back({one.record, EndpointName(one.deployment.endpoint),
                                         one.host, one.deployment.from, one.ended, one.problem, Witnessed(one.position)});
      }
      ASSAY_ASSIGN_OR_RETURN(const std::vector<ServedClaim> served, ClaimsServedBy(context_, ledger_, trust_, deployments, of_record));
      for (const ServedClaim& one : served) AddEndpointClaim(one, *revision);
    }
    return Status::Ok();
  }

  std::vector<HistoryRevision> Finish() {
    std::vector<HistoryRevision> out;
    for (HistoryRevision* revision : Ordered()) {
      const FileTable& table = tables_.at(revision->commit);
      const FileTable* before = nullptr;
      if (!table.parents.empty() && tables_.contains(table.parents.front())) before = &tables_.at(table.parents.front());
      if (before == nullptr && !out.empty()) before = &tables_.at(out.back().commit);
      if (before == nullptr) {
        revision->first = true;
        CompareTables(FileTable{}, table, *revision);
      } else {
        CompareTables(*before, table, *revision);
      }
      if (auto gone = gone_.find(revision->commit); gone != gone_.end()) revision->gone = gone->second;
      out.push_back(std::move(*revision));
    }
    for (HistoryRevision& revision : unmatched_) out.push_back(std::move(revision));
    return out;
  }

 private:
  HistoryRevision& Revision(const std::string& commit) {
    HistoryRevision& revision = revisions_[commit];
    revision.commit = commit;
    return revision;
  }

  // The observed revisions, parents before children (commit times are
  // whole seconds and may be equal, or wrong), otherwise oldest first by the
  // committer's time.
  std::vector<HistoryRevision*> Ordered() {
    std::map<std::string, size_t> waiting;                 // commit -> parents not yet placed
    std::map<std::string, std::vector<std::string>> children;
    for (const auto& [commit, table] : tables_) {
      size_t known = 0;
      for (const std::string& parent : table.parents) {
        if (!tables_.contains(parent)) continue;
        ++known;
        children[parent].push_back(commit);
      }
      waiting[commit] = known;
    }
    auto key = [this](const std::string& commit) { return std::pair{revisions_.at(commit).time, commit}; };
    std::set<std::pair<std::string, std::string>> ready;
    for (const auto& [commit, count] : waiting) {
      if (count == 0) ready.insert(key(commit));
    }
    std::vector<HistoryRevision*> ordered;
    while (!ready.empty()) {
      const std::string commit = ready.begin()->second;
      ready.erase(ready.begin());
      ordered.push_back(&revisions_.at(commit));
      for (const std::string& child : children[commit]) {
        if (--waiting[child] == 0) ready.insert(key(child));
      }
    }
    return ordered;
  }

  Status AddClaims(const std::string& model_record, HistoryRevision& revision) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<ClaimEntry> claims, ledger_.index().ClaimsForModel(model_record));
    for (const ClaimEntry& claim : claims) {
      if (std::any_of(revision.claims.begin(), revision.claims.end(),
                      [&](const RevisionClaim& known) { return known.record == claim.record.id; })) {
        continue;
      }
      const std::string benchmark = claim.claim.benchmark_name.value_or("");
      revision.claims.push_back({claim.record.id, "claim", benchmark, "", "", ""});
      ASSAY_ASSIGN_OR_RETURN(std::vector<ReproductionEntry> reproductions,
                             ledger_.index().ReproductionsOfClaim(claim.record.id));
      for (const ReproductionEntry& reproduction : reproductions) {
        revision.claims.push_back({reproduction.record.id, "reproduction", benchmark, "", "", ""});
      }
    }
    return Status::Ok();
  }

  static void AddEndpointClaim(const ServedClaim& served, HistoryRevision& revision) {
    const RevisionClaim claim{served.claim.record.id, "endpoint claim", served.claim.claim.eval.benchmark,
                              EndpointName(served.served.deployment.endpoint),
                              FormatUtcTime(*served.claim.claim.eval.started), served.served.record};
    revision.claims.push_back(claim);
    for (const SignedReproduction& reproduction : served.claim.reproductions) {
      RevisionClaim of_it = claim;
      of_it.record = reproduction.record.id;
      of_it.kind = "reproduction";
      revision.claims.push_back(std::move(of_it));
    }
  }

  // The earliest cosignature among the given checkpoints that covers `position`.
  std::optional<WitnessedCheckpoint> Witnessed(uint64_t position) const {
    const WitnessedCheckpoint* earliest = EarliestCovering(witnessed_, position);
    return earliest ? std::optional(*earliest) : std::nullopt;
  }

  Context& context_;
  Ledger& ledger_;
  const TrustFile& trust_;
  const std::vector<WitnessedCheckpoint> witnessed_;
  std::map<std::string, HistoryRevision> revisions_;  // observed, by commit
  std::map<std::string, FileTable> tables_;           // by commit
  std::set<std::string> counted_;                     // commits whose table a counting observer gave
  std::map<std::string, RevisionObserver> gone_;      // by commit: who said it is gone
  std::vector<HistoryRevision> unmatched_;            // model records of no observed revision
};

}  // namespace

Result<std::pair<std::string, std::string>> RepositoryOf(const std::string& model) {
  std::string source = model;
  if (model.find("://") != std::string::npos) source = HubSourceOfUrl(model);
  if (source.starts_with("hf:")) return std::pair{source.substr(3), source};
  if (source != model) return std::pair{std::string(), source};  // a URL of another host
  const size_t slash = model.find('/');
  const bool org_name = slash != std::string::npos && slash > 0 && slash + 1 < model.size() &&
                        model.find('/', slash + 1) == std::string::npos &&
                        model.find_first_of(" \t\n@:") == std::string::npos;
  if (!org_name) {
    return Status::InvalidInput("MODEL '" + model + "': expected ORG/NAME, hf:ORG/NAME or a repository URL");
  }
  return std::pair{model, "hf:" + model};
}

Result<ModelHistory> LoadModelHistory(Context& context, const HistoryRequest& request) {
  ModelHistory history;
  ASSAY_ASSIGN_OR_RETURN(std::tie(history.model, history.source), RepositoryOf(request.model));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context, /*create=*/false));
  ASSAY_ASSIGN_OR_RETURN(std::vector<WitnessedCheckpoint> witnessed,
                         ReadWitnessedCheckpoints(context, *ledger, trust, request.checkpoints));
  HistoryBuilder builder(context, *ledger, trust, std::move(witnessed));
  ASSAY_RETURN_IF_ERROR(builder.AddObservations(history.source));
  ASSAY_RETURN_IF_ERROR(builder.AddModelRecords(history.model));
  history.revisions = builder.Finish();
  ASSAY_ASSIGN_OR_RETURN(const Withdrawals withdrawals, Withdrawals::Load(context, *ledger, trust));
  for (const HistoryRevision& revision : history.revisions) {
    for (const std::string& record : revision.Records()) {
      const JudgedRevocation* withdrawal = withdrawals.Of(record);
      if (withdrawal != nullptr && history.WithdrawalOf(record) == nullptr) history.withdrawn.push_back(*withdrawal);
    }
  }
  return history;
}

std::vector<std::string> HistoryRevision::Records() const {
  std::vector<std::string> records;
  for (const RevisionObserver& observer : observers) records.push_back(observer.record);
  for (const BytesCheck& check : hashed) records.push_back(check.record);
  for (const RevisionClaim& claim : claims) records.push_back(claim.record);
  for (const RevisionDeployment& deployment : deployments) records.push_back(deployment.record);
  return records;
}

const JudgedRevocation* ModelHistory::WithdrawalOf(const std::string& record) const {
  for (const JudgedRevocation& one : withdrawn) {
    if (one.revocation.record == record) return &one;
  }
  return nullptr;
}

}  // namespace assay
