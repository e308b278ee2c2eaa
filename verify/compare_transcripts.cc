// assay compare-transcripts A B: flags -> CompareTranscriptFiles
// (src/ops/audit_ops.h) -> render/audit_render.h: two transcripts over the
// same prompts, compared sample by sample (docs/compare-transcripts.md).
// Each side is one file given as a positional argument, or the files of one
// run given with a repeated --a FILE / --b FILE. The verdict (same model,
// different model, inconclusive) is a statistical test; the command exits 0
// whatever it finds (a report, not a check); 2 for bad input.
#include <memory>

#include "cli/command.h"
#include "ops/audit_ops.h"
#include "render/audit_render.h"

namespace assay::cli {

void AddCompareTranscriptsCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<CompareTranscriptsRequest>();
  CLI::App* command = app.add_subcommand(
      "compare-transcripts",
      "compare two transcripts over the same prompts: a same-model verdict, exact matches, similarity, one-sided words: A B");
  command->add_option("A", request->a_path, "side A's transcript, when it is one file");
  command->add_option("B", request->b_path, "side B's transcript, when it is one file");
  command->add_option("--a", request->a_files, "a file of side A (repeat for a run of several files)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command->add_option("--b", request->b_files, "a file of side B (repeat for a run of several files)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command->add_option("--task", request->task, "the lm-eval task to read from a results file holding several");
  command->add_option("--top", request->top, "how many differing samples and one-sided words to list (default 10)");
  command->add_option("--min-samples", request->min_samples,
                      "a one-sided word must appear in this many samples (default: 1% of those compared, >= 3)");
  command->add_option("--baseline", request->baseline_files,
                      "a second run of A's weights, for the greedy verdict (repeat for a run of several files)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command->add_option("--decoding", request->decoding,
                      "greedy or sampled, when the logs do not say how both sides decoded");
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
