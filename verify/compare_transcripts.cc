// assay compare-transcripts A B: flags -> CompareTranscriptFiles
// (src/ops/audit_ops.h) -> render/audit_render.h: two transcripts over the
// same prompts, compared sample by sample (docs/compare-transcripts.md).
// Each side is one file given as a positional argument, or the files of one
// run given with a repeated --a FILE / --b FILE. The verdict (same model,
// different model, inconclusive) is a statistical test; the command exits 0
// whatever it finds (a report, not a check); 2 for bad input.
#include <memory>

#include "cli/command.h"
#include "cli/transcript_side_flags.h"
#include "ops/audit_ops.h"
#include "render/audit_render.h"

namespace assay::cli {

void AddCompareTranscriptsCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<CompareTranscriptsRequest>();
  CLI::App* command = app.add_subcommand(
      "compare-transcripts",
      "compare two transcripts over the same prompts: a same-model verdict, exact matches, similarity, one-sided words: A B");
  AddTranscriptSideFlags(command, *request);
  command->add_option("--top", request->top, "how many differing samples and one-sided words to list (default 10)");
  command->add_option("--min-samples", request->min_samples,
                      "a one-sided word must appear in this many samples (default: 1% of those compared, >= 3)");
  cli.AddJsonFlag(command, "print the comparison as JSON");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(TranscriptsComparison comparison, CompareTranscriptFiles(context, *request));
    if (cli.flags.json) {
      EmitJson(RenderJson(comparison));
    } else {
      Emit(RenderText(comparison));
    }
    return Status::Ok();
  });
}

}  // namespace assay::cli
