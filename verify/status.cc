// assay status MODEL: the screen users come for (DESIGN.md, Command line).
// For a model: its weights identity (which uploads share its weights root,
// and which uploads under its name do not), then one table of every claim
// about those weights, by benchmark: the claimed score and who signed it,
// each reproduction with signer, score, difference in points and in standard
// errors, and the verdict; and a standing per claim (claim/claim_status.h).
#include "verify/status.h"

#include <cstdio>
#include <memory>
#include <set>

#include "json/canonical_json.h"
#include "record/points.h"
#include "cli/claim_report.h"
#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/ledger_records.h"
#include "cli/verdict_report.h"
#include "record/model_record_reader.h"

namespace assay::cli {
namespace {

using nlohmann::json;


struct Upload {
  std::string id;
  std::string name;  // name @ revision
  std::string root;  // first weights root, hex
};

std::string NameOf(const ModelSummary& model) {
  return model.revision ? model.name + " @ " + *model.revision : model.name;
}

std::string FirstRoot(const ModelSummary& model) {
  return model.weights_roots.empty() ? "" : model.weights_roots.front().root;
}

std::string Signers(const std::vector<std::string>& signers, bool trusted) {
  if (!trusted) return "UNTRUSTED signer";
  std::string text;
  for (const std::string& signer : signers) text += (text.empty() ? "" : "; ") + signer.substr(0, signer.find(')') + 1);
  return text;
}

json UploadJson(const Upload& upload) { return {{"record", upload.id}, {"name", upload.name}, {"weightsRoot", upload.root}}; }

json ClaimJson(const SignedClaim& claim) {
  json metrics = json::array();
  for (const RecordedMetric& recorded : claim.claim.eval.metrics) {
    metrics.push_back({{"name", recorded.metric.name},
                       {"value", NumberJson(recorded.metric.value)},
                       {"stderr", recorded.metric.stderr_value ? NumberJson(*recorded.metric.stderr_value) : json(nullptr)},
                       {"recomputed", recorded.recomputed}});
  }
  json reproductions = json::array();
  for (const SignedReproduction& reproduction : claim.reproductions) {
    json verdicts = json::array();
    for (const MetricVerdict& verdict : reproduction.reproduction.verdicts) {
      json entry = VerdictJson(verdict);
      std::optional<std::string> why = WhyNotCounted(claim, reproduction, verdict);
      entry["counted"] = !why.has_value();
      if (why) entry["notCounted"] = *why;
      verdicts.push_back(std::move(entry));
    }
    reproductions.push_back({{"id", reproduction.id},
                             {"trusted", reproduction.trusted},
                             {"altered", reproduction.altered},
                             {"signers", reproduction.signers},
                             {"weightsMatch", reproduction.reproduction.weights_match},
                             {"verdicts", std::move(verdicts)}});
  }
  const EvalSummary& eval = claim.claim.eval;
  json out = {{"id", claim.id},
              {"trusted", claim.trusted},
              {"signers", claim.signers},
              {"benchmark", eval.benchmark},
              {"partial", eval.partial()},
              {"boundToWeights", claim.claim.binding.bound_to_weights()},
              {"metrics", std::move(metrics)},
              {"transcriptCommitted", eval.transcript.has_value()},
              {"reproductions", std::move(reproductions)},
              {"standing", ClaimStandingName(StandingOf(claim))}};
  if (!claim.claim.model_mismatch.empty()) out["logModelMismatch"] = claim.claim.model_mismatch;
  return out;
}

// A table cell `width` characters wide; "±" is two bytes but one character.
std::string Cell(const std::string& text, size_t width) {
  size_t characters = 0;
  for (unsigned char c : text) characters += (c & 0xC0) != 0x80;
  return text + std::string(characters < width ? width - characters : 0, ' ');
}

void PrintRow(const std::string& metric, const std::string& score, const std::string& signer, const std::string& diff,
              const std::string& se, const std::string& verdict) {
  Print("  %s %s %s %9s %8s  %s\n", Cell(metric, 14), Cell(score, 22), Cell(signer, 30),
              diff, se, verdict);
}

void PrintClaimRows(const SignedClaim& claim) {
  const EvalSummary& eval = claim.claim.eval;
  Print("\n%s  claim %.12s  %s\n", DescribeBenchmark(eval), claim.id,
              ClaimStandingName(StandingOf(claim)).data());
  if (!claim.claim.model_mismatch.empty()) Print("  log model mismatch: %s\n", claim.claim.model_mismatch);
  PrintRow("METRIC", "SCORE", "SIGNED BY", "DIFF", "SE", "VERDICT");
  for (const RecordedMetric& recorded : eval.metrics) {
    PrintRow(recorded.metric.name, FormatMetricValue(recorded.metric), Signers(claim.signers, claim.trusted), "", "",
             recorded.recomputed ? "claimed (recomputed from transcript)" : "claimed (not recomputed)");
    for (const SignedReproduction& reproduction : claim.reproductions) {
      const EvalMetric* theirs = nullptr;
      for (const RecordedMetric& metric : reproduction.reproduction.eval.metrics) {
        if (metric.metric.name == recorded.metric.name) theirs = &metric.metric;
      }
      for (const MetricVerdict& verdict : reproduction.reproduction.verdicts) {
        if (verdict.metric != recorded.metric.name) continue;
        std::string diff, se;
        if (verdict.comparison) {
          diff = FormatPoints(verdict.comparison->difference_points);
          if (verdict.comparison->difference_in_stderrs) se = FormatPoints(*verdict.comparison->difference_in_stderrs);
        }
        std::string word = VerdictWord(verdict.kind);
        if (std::optional<std::string> why = WhyNotCounted(claim, reproduction, verdict)) {
          word += " (not counted: " + *why + ")";
        }
        PrintRow("", verdict.comparison && theirs ? FormatMetricValue(*theirs) : "-",
                 Signers(reproduction.signers, reproduction.trusted), diff, se, word);
      }
    }
  }
}

}  // namespace

Status RunStatus(const StatusOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.trust_path)));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(CheckedLedgerRecord record, ResolveModelRecord(*index, options.model, trust));
  ASSAY_ASSIGN_OR_RETURN(ModelRecord model, ParseModelStatement(record.payload));
  const std::string root = model.manifest.weights_roots.empty() ? "" : ToHex(model.manifest.weights_roots.front().root);

  // Weights identity: uploads with this root, and uploads under this name without it.
  std::vector<Upload> same, different;
  std::set<std::string> seen;
  auto add = [&](const ModelEntry& entry) {
    if (!seen.insert(entry.record.id).second) return;
    Upload upload{entry.record.id, NameOf(entry.model), FirstRoot(entry.model)};
    (upload.root == root && !root.empty() ? same : different).push_back(std::move(upload));
  };
  if (!root.empty()) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> by_root, index->ModelsByWeightsRoot(root));
    for (const ModelEntry& entry : by_root) add(entry);
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> by_name, index->ModelsByName(model.identity.name, std::nullopt));
  for (const ModelEntry& entry : by_name) add(entry);

  std::vector<SignedClaim> claims;
  ASSAY_ASSIGN_OR_RETURN(std::vector<ClaimEntry> entries, index->ClaimsForModel(root.empty() ? record.id : root));
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    ASSAY_ASSIGN_OR_RETURN(SignedClaim claim, LoadSignedClaim(*index, it->record.id, trust));
    claims.push_back(std::move(claim));
  }

  if (options.json) {
    json out = {{"model", {{"record", record.id}, {"name", model.identity.name}, {"trusted", record.trusted}}},
                {"weightsRoot", root},
                {"sameWeights", json::array()},
                {"differentWeights", json::array()},
                {"claims", json::array()}};
    if (model.identity.revision) out["model"]["revision"] = *model.identity.revision;
    for (const Upload& upload : same) out["sameWeights"].push_back(UploadJson(upload));
    for (const Upload& upload : different) out["differentWeights"].push_back(UploadJson(upload));
    for (const SignedClaim& claim : claims) out["claims"].push_back(ClaimJson(claim));
    std::printf("%s\n", out.dump(2).c_str());
    return Status::Ok();
  }
  Print("model      %s%s\n", model.identity.name,
              model.identity.revision ? (" @ " + *model.identity.revision) : "");
  Print("record     %s (%s)\n", record.id, Signers(record.signers, record.trusted));
  Print("weights    %s\n", root.empty() ? "no weights root in the record" : root);
  for (const Upload& upload : same) {
    Print("  same weights       %s (record %.12s)\n", upload.name, upload.id);
  }
  for (const Upload& upload : different) {
    Print("  DIFFERENT WEIGHTS  %s (record %.12s, root %.16s): 'assay diff %.12s %.12s' says what changed\n",
                upload.name, upload.id, upload.root, record.id, upload.id);
  }
  if (claims.empty()) Print("\nno claims about these weights yet\n");
  for (const SignedClaim& claim : claims) PrintClaimRows(claim);
  return Status::Ok();
}

void AddStatusCommand(CLI::App& app, Status& outcome) {
  auto options = std::make_shared<StatusOptions>();
  CLI::App* command = app.add_subcommand("status", "every claim about a model's weights, its reproductions and verdicts");
  command->add_option("MODEL", options->model, "record id or prefix, weights root, or name[@revision]")->required();
  AddLedgerOption(*command, options->ledger);
  command->add_option("--trust", options->trust_path, "trust file (whose signatures count)");
  command->add_flag("--json", options->json, "print the status as JSON");
  command->callback([options, &outcome] { outcome = RunStatus(*options); });
}

}  // namespace assay::cli
