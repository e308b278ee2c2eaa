// assay forensics A B: compares the weights of two model folders tensor by
// tensor and says what kind of change turns A into B (docs/forensics.md).
// A report is exit 0 whatever it finds; bad input is 2, I/O errors 3.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "render/text.h"
#include "model/forensics.h"
#include "model/forensics_summary.h"

namespace assay::cli {
namespace {

using nlohmann::json;

struct ForensicsCommandOptions {
  std::string folder_a, folder_b;
  ForensicsOptions forensics;
  bool json = false;
};

// "4", "> 32" (saturated), "full 16", "-" (not measured, or a vector).
std::string RankText(const TensorForensics& tensor, uint32_t max_rank) {
  if (!tensor.measured || std::min(tensor.rows, tensor.cols) == 1) return "-";  // vectors have no rank to speak of
  if (tensor.rank.saturated) return "> " + std::to_string(max_rank);
  if (tensor.rank_exact && tensor.rank.rank == std::min(tensor.rows, tensor.cols) && tensor.rank.rank > 0) {
    return "full " + std::to_string(tensor.rank.rank);
  }
  return std::to_string(tensor.rank.rank);
}

std::string Number(const std::optional<double>& value, const char* format) {
  if (!value) return "-";
  char text[32];
  std::snprintf(text, sizeof text, format, *value);
  return text;
}

json OptionalJson(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json TensorJson(const TensorForensics& tensor) {
  json out = {{"name", tensor.name},
              {"format", WeightFormatName(tensor.format)},
              {"verdict", TensorVerdictName(tensor.verdict)},
              {"dtypeA", tensor.dtype_a.empty() ? json(nullptr) : json(tensor.dtype_a)},
              {"dtypeB", tensor.dtype_b.empty() ? json(nullptr) : json(tensor.dtype_b)},
              {"shapeA", tensor.shape_a},
              {"shapeB", tensor.shape_b}};
  if (!tensor.reason.empty()) out["reason"] = tensor.reason;
  if (!tensor.measured) return out;
  out["matrix"] = {tensor.rows, tensor.cols};
  out["maxAbsDifference"] = tensor.max_abs_difference;
  out["relativeChange"] = OptionalJson(tensor.relative_change);
  out["cosineSimilarity"] = OptionalJson(tensor.cosine_similarity);
  out["nonfiniteElements"] = tensor.nonfinite_elements;
  out["noiseFloor"] = tensor.noise_floor;
  out["rank"] = {{"value", tensor.rank.saturated ? json(nullptr) : json(tensor.rank.rank)},
                 {"countedAbove", tensor.rank.rank},
                 {"saturated", tensor.rank.saturated},
                 {"exact", tensor.rank_exact},
                 {"threshold", tensor.rank.threshold},
                 {"singularValues", tensor.rank.singular_values}};
  return out;
}

json ReportJson(const ForensicsCommandOptions& options, const ForensicsReport& report,
                const ForensicsSummary& summary) {
  json groups = json::array();
  for (const ForensicsGroup& group : summary.groups) {
    json entry = {{"verdict", TensorVerdictName(group.verdict)}, {"tensors", group.tensors.size()},
                  {"roles", group.roles}};
    if (group.verdict == TensorVerdict::kLowRank) entry["maxRank"] = group.max_rank;
    groups.push_back(entry);
  }
  json tensors = json::array();
  for (const TensorForensics& tensor : report.tensors) tensors.push_back(TensorJson(tensor));
  return {{"a", options.folder_a},
          {"b", options.folder_b},
          {"verdict", summary.verdict},
          {"summary", summary.sentence},
          {"options",
           {{"tolerance", report.options.tolerance},
            {"maxRank", report.options.max_rank},
            {"oversampling", report.options.oversampling},
            {"seed", report.options.seed}}},
          {"bytesDecoded", report.bytes_read},
          {"groups", groups},
          {"tensors", tensors}};
}

void PrintReport(const ForensicsCommandOptions& options, const ForensicsReport& report,
                 const ForensicsSummary& summary) {
  Print("A          %s\n", options.folder_a);
  Print("B          %s\n", options.folder_b);
  Print("verdict    %s\n", summary.verdict);
  Print("summary    %s\n", summary.sentence);
  for (const ForensicsGroup& group : summary.groups) {
    std::string what(TensorVerdictName(group.verdict));
    if (group.verdict == TensorVerdict::kLowRank) what += " (rank <= " + std::to_string(group.max_rank) + ")";
    Print("  %-22s %5zu tensor%s  %s\n", what, group.tensors.size(), group.tensors.size() == 1 ? " " : "s",
                group.roles);
  }
  size_t identical = 0;
  bool header = false;
  for (const TensorForensics& tensor : report.tensors) {
    if (tensor.verdict == TensorVerdict::kIdentical) {
      ++identical;
      continue;
    }
    if (!header) {
      Print("\n%-48s %-14s %-8s %-10s %-9s %s\n", "tensor", "verdict", "rank", "rel.change", "cosine",
                  "max|B-A|");
      header = true;
    }
    Print("%-48s %-14s %-8s %-10s %-9s %s\n", tensor.name,
                std::string(TensorVerdictName(tensor.verdict)),
                RankText(tensor, report.options.max_rank), Number(tensor.relative_change, "%.3g"),
                Number(tensor.cosine_similarity, "%.6f"),
                tensor.measured ? Number(tensor.max_abs_difference, "%.3g") : "-");
    if (tensor.verdict == TensorVerdict::kShapeChanged) {
      Print("    shape %s -> %s\n", ShapeText(tensor.shape_a), ShapeText(tensor.shape_b));
    } else if (!tensor.reason.empty()) {
      Print("    %s\n", tensor.reason);
    } else if (tensor.measured && tensor.dtype_a != tensor.dtype_b) {
      Print("    dtype %s -> %s\n", tensor.dtype_a, tensor.dtype_b);
    }
    if (tensor.nonfinite_elements > 0) {
      Print("    %" PRIu64 " NaN or infinite elements left out\n", tensor.nonfinite_elements);
    }
  }
  if (identical > 0) Print("%s(%zu identical tensors not listed)\n", header ? "" : "\n", identical);
  Print("\nrank       singular values of B - A above max(%g x the largest, the rounding noise of the dtypes);\n"
              "           sketch of %u columns, \"> %u\" when it cannot bound the rank\n",
              report.options.tolerance, report.options.max_rank + report.options.oversampling,
              report.options.max_rank);
  Print("decoded    %s of tensors (%" PRIu64 " pair%s)\n", HumanBytes(report.bytes_read),
              report.tensors_decoded, report.tensors_decoded == 1 ? "" : "s");
}

Status RunForensics(const ForensicsCommandOptions& options) {
  ManifestOptions manifest_options;
  manifest_options.threads = options.forensics.threads;
  ASSAY_ASSIGN_OR_RETURN(ModelManifest a, BuildModelManifest(LocalFileSystem(), options.folder_a, manifest_options));
  ASSAY_ASSIGN_OR_RETURN(ModelManifest b, BuildModelManifest(LocalFileSystem(), options.folder_b, manifest_options));
  Result<ForensicsReport> report = CompareWeights(LocalFileSystem(), a, b, options.forensics);
  if (!report.ok()) return report.status();
  ForensicsSummary summary = SummarizeForensics(*report);
  if (options.json) {
    std::printf("%s\n", ReportJson(options, *report, summary).dump(2).c_str());
  } else {
    PrintReport(options, *report, summary);
  }
  return Status::Ok();
}

}  // namespace

void AddForensicsCommand(CLI::App& app, Status& outcome) {
  auto options = std::make_shared<ForensicsCommandOptions>();
  CLI::App* command =
      app.add_subcommand("forensics", "compare the weights of two model folders: which tensors changed, and how");
  command->add_option("A", options->folder_a, "the first model folder (the base)")->required();
  command->add_option("B", options->folder_b, "the second model folder")->required();
  command->add_option("--tolerance", options->forensics.tolerance,
                      "count singular values above this fraction of the largest (default 1e-3; the rounding "
                      "noise floor applies as well)");
  command->add_option("--max-rank", options->forensics.max_rank,
                      "the largest rank reported as such; more is \"> K\" (default 32)");
  command->add_option("--threads", options->forensics.threads, "threads for hashing and decoding (default: one per core)");
  command->add_flag("--json", options->json, "print the report as JSON");
  command->callback([options, &outcome] { outcome = RunForensics(*options); });
}

}  // namespace assay::cli
