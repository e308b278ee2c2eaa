// assay log | show: read the ledger through its index (docs/spec/ledger-index.md).
// log lists records newest first, or those of a model name, weights root,
// benchmark or signer; show prints one record and its statement.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/ledger_options.h"
#include "ledger/record_summary.h"
#include "sign/dsse.h"

namespace assay::cli {
namespace {

using nlohmann::json;

struct LogOptions {
  LedgerOptions ledger;
  size_t limit = 20;
  std::string model;  // NAME[@REVISION]
  std::string weights_root;
  std::string benchmark;
  std::string signer;  // a DSSE keyid (SHA256:...)
  bool json = false;
};

struct ShowOptions {
  LedgerOptions ledger;
  std::string id;
  bool json = false;
};

Result<std::vector<RecordEntry>> SelectRecords(LedgerIndex& index, const LogOptions& options) {
  std::vector<RecordEntry> records;
  auto add_models = [&](const std::vector<ModelEntry>& models) {
    for (const ModelEntry& model : models) records.push_back(model.record);
  };
  if (!options.model.empty()) {
    size_t at = options.model.find('@');
    std::optional<std::string> revision;
    if (at != std::string::npos) revision = options.model.substr(at + 1);
    ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> models, index.ModelsByName(options.model.substr(0, at), revision));
    add_models(models);
  } else if (!options.weights_root.empty()) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> models, index.ModelsByWeightsRoot(options.weights_root));
    add_models(models);
  } else if (!options.benchmark.empty()) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<ClaimEntry> claims, index.ClaimsByBenchmark(options.benchmark));
    for (const ClaimEntry& claim : claims) records.push_back(claim.record);
  } else if (!options.signer.empty()) {
    ASSAY_ASSIGN_OR_RETURN(records, index.RecordsBySignerKeyId(options.signer));
  } else {
    return index.Log(options.limit);
  }
  if (records.size() > options.limit) records.resize(options.limit);
  return records;
}

// "model acme/tiny@v1" for a model record; the kind alone otherwise.
std::string Headline(const RecordSummary& summary) {
  std::string line(RecordKindName(summary.kind));
  if (summary.model) {
    line += " " + summary.model->name + (summary.model->revision ? "@" + *summary.model->revision : "");
  }
  if (summary.claim && summary.claim->benchmark_name) line += " " + *summary.claim->benchmark_name;
  return line;
}

Status RunLog(const LogOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> records, SelectRecords(*index, options));
  json out = json::array();
  for (const RecordEntry& record : records) {
    ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, index->Envelope(record.id));
    Result<RecordSummary> summary = SummarizeRecord(envelope.value_or(""));
    std::string headline = summary.ok() ? Headline(*summary) : std::string(RecordKindName(record.kind));
    if (options.json) {
      out.push_back({{"position", record.position}, {"id", record.id}, {"commit", record.commit},
                     {"kind", RecordKindName(record.kind)}, {"predicateType", record.predicate_type},
                     {"summary", headline}});
    } else {
      std::printf("%6llu  %s  %s  %s\n", static_cast<unsigned long long>(record.position), record.id.c_str(),
                  record.commit.substr(0, 12).c_str(), headline.c_str());
    }
  }
  if (options.json) std::printf("%s\n", out.dump(2).c_str());
  return Status::Ok();
}

Status RunShow(const ShowOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(std::optional<RecordEntry> record, index->Find(options.id));
  if (!record) return Status::InvalidInput("no record " + options.id + " in " + ledger->path());
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, index->Envelope(record->id));
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope parsed, ParseDsseEnvelope(envelope.value_or("")));
  json statement = json::parse(parsed.payload, nullptr, false);
  if (options.json) {
    std::printf("%s\n", statement.dump(2).c_str());
    return Status::Ok();
  }
  ASSAY_ASSIGN_OR_RETURN(RecordSummary summary, SummarizeRecord(*envelope));
  std::printf("record     %s\n", record->id.c_str());
  std::printf("position   %llu, added in commit %s\n", static_cast<unsigned long long>(record->position),
              record->commit.c_str());
  std::printf("kind       %s (%s)\n", Headline(summary).c_str(), summary.predicate_type.c_str());
  for (const std::string& keyid : summary.signature_keyids) std::printf("signature  keyid %s\n", keyid.c_str());
  for (const SubjectDigest& subject : summary.subjects) {
    std::printf("subject    %s %s:%s\n", subject.name.c_str(), subject.algorithm.c_str(), subject.digest.c_str());
  }
  std::printf("hint: 'assay verify model' checks the signature against your trust file\n");
  return Status::Ok();
}

}  // namespace

void AddLedgerQueryCommands(CLI::App& app, Status& outcome) {
  auto log = std::make_shared<LogOptions>();
  CLI::App* log_command = app.add_subcommand("log", "list the ledger's records, newest first");
  AddLedgerOption(*log_command, log->ledger);
  log_command->add_option("-n,--limit", log->limit, "at most this many (default 20)");
  log_command->add_option("--model", log->model, "model records of NAME[@REVISION]");
  log_command->add_option("--weights-root", log->weights_root, "model records with this weights root");
  log_command->add_option("--benchmark", log->benchmark, "claims about this benchmark");
  log_command->add_option("--signer", log->signer, "records whose signature keyid is this (SHA256:...)");
  log_command->add_flag("--json", log->json, "print JSON");
  log_command->callback([log, &outcome] { outcome = RunLog(*log); });

  auto show = std::make_shared<ShowOptions>();
  CLI::App* show_command = app.add_subcommand("show", "print one record: ID or an id prefix of 8+ hex digits");
  show_command->add_option("ID", show->id, "record id or unique prefix")->required();
  AddLedgerOption(*show_command, show->ledger);
  show_command->add_flag("--json", show->json, "print the record's statement as JSON");
  show_command->callback([show, &outcome] { outcome = RunShow(*show); });
}

}  // namespace assay::cli
