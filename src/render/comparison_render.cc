#include "render/comparison_render.h"

#include "render/model_render.h"
#include "render/text.h"

namespace assay {
namespace {

std::string RunText(const char* label, const ComparedRun& run, const std::string& opening) {
  return Format("%-10s %s, %s, transcript root %.16s%s%s\n", label, Plural(run.samples, "sample"), run.format,
                run.transcript_root, run.record.empty() ? "" : " (record " + run.record.substr(0, 16) + ")",
                opening.empty() ? "" : ", opening " + opening);
}

}  // namespace

std::string RenderText(const AttestedComparison& attested) {
  const Comparison& comparison = attested.comparison;
  std::string text = Format("comparison %s\n", attested.published.id);
  text += Format("endpoint   %s/%s\n", comparison.endpoint.provider, comparison.endpoint.model);
  text += Format("model      %s%s (record %s)\n", comparison.model.name,
                 comparison.model.revision ? " @ " + *comparison.model.revision : "", comparison.model.record.substr(0, 16));
  text += RunText("weights", comparison.weights_run, attested.openings.at(0));
  text += RunText("endpoint", comparison.endpoint_run, attested.openings.at(1));
  if (comparison.baseline_run) text += RunText("baseline", *comparison.baseline_run, attested.openings.at(2));
  text += Wrapped(Format("verdict    %s: %s", FindingText(attested.transcripts.comparison.verdict.finding), comparison.reason),
                  80, 11) +
          "\n";
  return text + RenderPublication(attested.published);
}

std::string RenderJson(const AttestedComparison& attested) { return attested.published.record + "\n"; }

}  // namespace assay
