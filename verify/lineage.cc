// assay lineage MODEL --against RECORD...: which known model a model's
// weights come from, from manifests alone (docs/forensics.md, "Lineage").
// MODEL is a folder (hashed here) or a model record; each RECORD is a record
// file, or a record id, weights root or name[@revision] in the ledger. A
// record's signature is checked against the trust file and the outcome
// shown; an unverified record is still compared, and said to be unverified.
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/terminal.h"
#include "cli/trust_report.h"
#include "record/in_toto.h"
#include "ledger/record_summary.h"
#include "model/lineage.h"
#include "record/model_record_reader.h"
#include "sign/dsse.h"
#include "record/record_check.h"
#include "record/record_id.h"

namespace assay::cli {
namespace {

using nlohmann::json;

struct LineageCommandOptions {
  std::string model;
  std::vector<std::string> against;
  std::string trust_path;
  LedgerOptions ledger;
  unsigned threads = 0;
  bool json = false;
};

// A model to compare, from a folder or a record, and how far to trust it.
struct LoadedModel {
  std::string label;  // the folder, or "name@revision"
  std::string source;  // the folder, the record file, or "ledger"
  std::optional<std::string> record_id;
  std::string signature;  // "" for a folder; who signed a record, or why that is unknown
  ModelManifest manifest;
};

// Reads the ledger only when an argument is neither a folder nor a file.
class LedgerLookup {
 public:
  explicit LedgerLookup(const LedgerOptions& options) : options_(options) {}

  Result<std::string> Envelope(const std::string& text) {
    if (index_ == nullptr) {
      ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options_));
      ASSAY_ASSIGN_OR_RETURN(index_, OpenSyncedIndex(*ledger));
    }
    ASSAY_ASSIGN_OR_RETURN(ModelResolution resolution, index_->ResolveModel(text));
    if (resolution.models.empty()) {
      return Status::InvalidInput(text + ": no such folder or record file, and no model record of that id, "
                                         "weights root or name in the ledger");
    }
    // Newest first: a name with several revisions means its latest.
    ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, index_->Envelope(resolution.models[0].record.id));
    return envelope.value_or("");
  }

 private:
  const LedgerOptions& options_;
  std::unique_ptr<LedgerIndex> index_;
};

std::string Label(const ModelIdentity& identity) {
  return identity.name + (identity.revision ? "@" + *identity.revision : "");
}

// The statement of a record (an envelope, or an unsigned statement), with
// what its signature check said.
Result<LoadedModel> ReadRecord(const std::string& text, const std::string& where, const TrustFile& trust) {
  LoadedModel loaded;
  loaded.source = where;
  std::string payload;
  if (IsBareStatement(text)) {
    payload = text.substr(0, text.find_last_not_of('\n') + 1);
    loaded.signature = "unsigned statement";
  } else {
    RecordPolicy policy;
    policy.now_unix_seconds = NowUnixSeconds();
    Result<CheckedRecord> verified = RequireCounts(CheckRecord(text, trust, policy));
    if (verified.ok()) {
      payload = verified->payload;
      for (const RecordSigner& signer : verified->signers) {
        if (!signer.entry) continue;  // only with allowed untrusted keys, which lineage has none of
        loaded.signature += (loaded.signature.empty() ? "signed by " : "; ") + DescribeSigner(*signer.entry);
      }
    } else {
      Result<DsseEnvelope> envelope = ParseDsseEnvelope(text);
      if (!envelope.ok()) return envelope.status().WithContext(where);
      payload = envelope->payload;
      loaded.signature = "signature NOT verified: " + verified.status().message();
    }
  }
  Result<ModelRecord> record = ParseModelStatement(payload);
  if (!record.ok()) return record.status().WithContext(where);
  loaded.label = Label(record->identity);
  loaded.record_id = RecordId(payload);
  loaded.manifest = std::move(record->manifest);
  return loaded;
}

Result<LoadedModel> LoadModel(const std::string& text, bool folder_allowed, const LineageCommandOptions& options,
                              const TrustFile& trust, LedgerLookup& ledger) {
  std::error_code error;
  if (std::filesystem::is_directory(text, error)) {
    if (!folder_allowed) {
      return Status::InvalidInput(text + ": a folder; --against takes model records (hint: 'assay attest model " +
                                  text + "' makes one)");
    }
    ManifestOptions manifest_options;
    manifest_options.threads = options.threads;
    LoadedModel loaded{text, text, std::nullopt, "", {}};
    ASSAY_ASSIGN_OR_RETURN(loaded.manifest, BuildModelManifest(LocalFileSystem(), text, manifest_options));
    return loaded;
  }
  if (std::filesystem::exists(text, error)) {
    ASSAY_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(LocalFileSystem(), text, kMaxRecordEnvelopeBytes));
    return ReadRecord(bytes, text, trust);
  }
  ASSAY_ASSIGN_OR_RETURN(std::string envelope, ledger.Envelope(text));
  return ReadRecord(envelope, "ledger", trust);
}

std::string Percent(uint64_t part, uint64_t whole) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", whole == 0 ? 0.0 : 100.0 * double(part) / double(whole));
  return text;
}

// Under 1 % of the bytes, what is shared is the kind of tensor that matches
// by chance (norms of ones, zero biases): said so, not taken for descent.
std::string Finding(const LineageMatch& match) {
  if (match.SameWeights()) return "the same weights: every tensor byte-identical";
  if (match.identical_tensors == 0) return "shares no tensor";
  std::string shares = "shares " + std::to_string(match.identical_tensors) + " of " +
                       std::to_string(match.model_tensors) + " tensors";
  if (match.identical_bytes * 100 < match.model_bytes) {
    return shares + ", only " + Percent(match.identical_bytes, match.model_bytes) +
           " of the bytes: too little to show descent";
  }
  return shares + " (" + Percent(match.identical_bytes, match.model_bytes) + " of the bytes)";
}

json MatchJson(const LineageMatch& match, const LoadedModel& known) {
  json renamed = json::array();
  for (const auto& [model_name, known_name] : match.renamed) renamed.push_back({{"model", model_name}, {"record", known_name}});
  return {{"record", known.label},
          {"recordId", known.record_id ? json(*known.record_id) : json(nullptr)},
          {"source", known.source},
          {"signature", known.signature},
          {"finding", Finding(match)},
          {"sameWeights", match.SameWeights()},
          {"modelTensors", match.model_tensors},
          {"modelBytes", match.model_bytes},
          {"identicalTensors", match.identical_tensors},
          {"identicalBytes", match.identical_bytes},
          {"identicalRoles", match.identical_roles},
          {"differingRoles", match.differing_roles},
          {"identical", match.identical},
          {"differing", match.differing},
          {"onlyInModel", match.only_in_model},
          {"onlyInRecord", match.only_in_known},
          {"renamed", renamed}};
}

void PrintMatch(const LineageMatch& match, const LoadedModel& known) {
  Print("\nagainst    %s%s\n", known.label,
              known.record_id ? (" (record " + known.record_id->substr(0, 16) + ")") : "");
  if (!known.signature.empty()) Print("           %s\n", known.signature);
  Print("  finding    %s\n", Finding(match));
  if (match.identical_tensors > 0 && !match.SameWeights()) {
    Print("  identical  %s\n", match.identical_roles);
  }
  if (!match.differing.empty()) {
    Print("  differ     %zu: %s\n", match.differing.size(), match.differing_roles);
  }
  if (!match.only_in_model.empty()) {
    Print("  only here  %zu: %s\n", match.only_in_model.size(), match.only_in_model_roles);
  }
  if (!match.only_in_known.empty()) Print("  only there %zu tensors\n", match.only_in_known.size());
  if (!match.renamed.empty()) {
    Print("  renamed    %zu tensors hold bytes the record has under another name (first: %s = %s)\n",
                match.renamed.size(), match.renamed[0].first, match.renamed[0].second);
  }
}

Status RunLineage(const LineageCommandOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.trust_path)));
  LedgerLookup ledger(options.ledger);
  ASSAY_ASSIGN_OR_RETURN(LoadedModel model, LoadModel(options.model, true, options, trust, ledger));
  std::vector<LoadedModel> known;
  for (const std::string& text : options.against) {
    ASSAY_ASSIGN_OR_RETURN(LoadedModel loaded, LoadModel(text, false, options, trust, ledger));
    known.push_back(std::move(loaded));
  }
  std::vector<const ModelManifest*> manifests;
  std::vector<std::string> names;
  for (const LoadedModel& loaded : known) {
    manifests.push_back(&loaded.manifest);
    names.push_back(loaded.source == "ledger" ? loaded.label : loaded.source);
  }
  Result<std::vector<LineageMatch>> matches = CompareLineage(model.manifest, manifests, names);
  if (!matches.ok()) return matches.status().WithContext(options.model);

  if (options.json) {
    json out = json::array();
    for (const LineageMatch& match : *matches) out.push_back(MatchJson(match, known[match.known_index]));
    json report = {{"model",
                    {{"label", model.label},
                     {"source", model.source},
                     {"recordId", model.record_id ? json(*model.record_id) : json(nullptr)},
                     {"signature", model.signature},
                     {"tensors", model.manifest.TensorCount()}}},
                   {"matches", out}};
    std::printf("%s\n", report.dump(2).c_str());
    return Status::Ok();
  }
  Print("model      %s (%" PRIu64 " tensors)\n", model.label, model.manifest.TensorCount());
  if (!model.signature.empty()) Print("           %s\n", model.signature);
  const LineageMatch& best = matches->front();
  if (best.identical_bytes * 100 >= best.model_bytes && best.identical_tensors > 0) {
    Print("closest    %s: %s\n", known[best.known_index].label, Finding(best));
  } else {
    Print("closest    none: no record shares 1%% or more of the bytes (%zu compared)\n", known.size());
  }
  for (const LineageMatch& match : *matches) PrintMatch(match, known[match.known_index]);
  return Status::Ok();
}

}  // namespace

void AddLineageCommand(CLI::App& app, Status& outcome) {
  auto options = std::make_shared<LineageCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "lineage", "which known models a model's tensors come from, by tensor digests: MODEL --against RECORD...");
  command->add_option("MODEL", options->model, "a model folder (hashed here) or a model record")->required();
  command->add_option("--against", options->against,
                      "model records to compare with: files, or ids, weights roots or name[@revision] in the ledger")
      ->required()
      ->expected(1, -1);
  command->add_option("--trust", options->trust_path, "trust file (env ASSAY_TRUST_FILE)");
  AddLedgerOption(*command, options->ledger);
  command->add_option("--threads", options->threads, "hashing threads for a folder (default: one per core)");
  command->add_flag("--json", options->json, "print the result as JSON");
  command->callback([options, &outcome] { outcome = RunLineage(*options); });
}

}  // namespace assay::cli
