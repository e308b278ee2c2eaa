// assay log | show: read the ledger through its index (docs/spec/ledger-index.md).
// log lists records newest first, or those of a model name, weights root,
// benchmark or signer; show prints one record and its statement.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/ledger_records.h"
#include "json/strict_json.h"
#include "ledger/record_summary.h"
#include "sign/dsse.h"

namespace assay::cli {
namespace {

using nlohmann::json;

struct LogOptions {
  LedgerOptions ledger;
  std::string trust_path;  // records whose signature does not count are marked
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

// The role a record's signer must hold for its kind to count.
TrustRole RoleFor(RecordKind kind) {
  return kind == RecordKind::kReproduction ? TrustRole::kEvaluator : TrustRole::kVendor;
}

// Why the record does not count: a word for the log's line ("" when it
// counts) and the whole reason, for --json and 'assay show'.
struct Mark {
  std::string word;
  std::string reason;
};

// Not well formed, altered, or without a signature that counts in its kind's role.
Mark MarkOf(const RecordEntry& record, const std::string& envelope, const TrustFile& trust) {
  if (record.problem) return {"INVALID", *record.problem};
  Result<CheckedLedgerRecord> checked = CheckRecord(envelope, trust, RoleFor(record.kind));
  if (!checked.ok()) return {"INVALID", checked.status().message()};
  if (checked->trusted) return {};
  return {checked->altered ? "ALTERED" : "NOT COUNTED", checked->problem};
}

Status RunLog(const LogOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.trust_path)));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> records, SelectRecords(*index, options));
  json out = json::array();
  for (const RecordEntry& record : records) {
    ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, index->Envelope(record.id));
    Result<RecordSummary> summary = SummarizeRecord(envelope.value_or(""));
    std::string headline = summary.ok() ? Headline(*summary) : std::string(RecordKindName(record.kind));
    const Mark mark = MarkOf(record, envelope.value_or(""), trust);
    if (options.json) {
      json entry = {{"position", record.position}, {"id", record.id}, {"commit", record.commit},
                    {"kind", RecordKindName(record.kind)}, {"predicateType", record.predicate_type},
                    {"summary", headline}, {"counts", mark.word.empty()}};
      if (!mark.word.empty()) entry["problem"] = mark.word + ": " + mark.reason;
      out.push_back(std::move(entry));
    } else {
      Print("%6llu  %s  %s  %s%s%s\n", static_cast<unsigned long long>(record.position), record.id,
            record.commit.substr(0, 12), headline, mark.word.empty() ? "" : "  ", mark.word);
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
  if (record->problem) {
    if (options.json) return Status::CheckFailed("record " + record->id + " in " + ledger->path() +
                                                 " is not a well-formed record: " + *record->problem);
    Print("record     %s\n", record->id);
    Print("position   %llu, added in commit %s\n", static_cast<unsigned long long>(record->position),
          record->commit);
    Print("INVALID    not a well-formed record: %s\n", record->problem->c_str());
    return Status::Ok();
  }
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope parsed, ParseDsseEnvelope(envelope.value_or("")));
  if (options.json) {
    Result<json> statement = ParseStrictJson(parsed.payload);
    if (!statement.ok()) return statement.status().WithContext("record " + record->id + " in " + ledger->path());
    std::printf("%s\n", statement->dump(2).c_str());
    return Status::Ok();
  }
  ASSAY_ASSIGN_OR_RETURN(RecordSummary summary, SummarizeRecord(*envelope));
  Print("record     %s\n", record->id);
  Print("position   %llu, added in commit %s\n", static_cast<unsigned long long>(record->position),
              record->commit);
  Print("kind       %s (%s)\n", Headline(summary), summary.predicate_type);
  for (const std::string& keyid : summary.signature_keyids) Print("signature  keyid %s\n", keyid);
  for (const SubjectDigest& subject : summary.subjects) {
    Print("subject    %s %s:%s\n", subject.name, subject.algorithm, subject.digest);
  }
  Print("hint: 'assay verify model' checks the signature against your trust file\n");
  return Status::Ok();
}

}  // namespace

void AddLedgerQueryCommands(CLI::App& app, Status& outcome) {
  auto log = std::make_shared<LogOptions>();
  CLI::App* log_command = app.add_subcommand("log", "list the ledger's records, newest first");
  AddLedgerOption(*log_command, log->ledger);
  log_command->add_option("--trust", log->trust_path, "trust file: records whose signature does not count are marked");
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
