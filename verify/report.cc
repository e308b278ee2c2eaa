// assay report MODEL -o FILE: flags -> ReportOfModel (src/ops/report_ops.h)
// -> render/report_render.h's HTML or Markdown, written to FILE.
#include <memory>

#include "cli/command.h"
#include "ops/report_ops.h"
#include "render/report_render.h"
#include "render/text.h"

namespace assay::cli {

void AddReportCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<ReportRequest>();
  auto format = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "report", "one self-contained page (HTML or Markdown) of a model's verdicts, uploads, signers and evidence");
  command->add_option("MODEL", request->model, "record id or prefix, weights root, or name[@revision]")->required();
  cli.AddOutputFlag(command, "the file to write: FILE.html or FILE.md (replaced if it exists)");
  command->get_option("--output")->required();
  command->add_option("--format", *format, "html or md (default: md for a FILE ending in .md, else html)")
      ->check(CLI::IsMember({"html", "md"}));
  command->add_option("--checkpoint", request->checkpoints,
                      "a cosigned checkpoint of the ledger: its witnesses' times (repeatable)");
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command);
  cli.OnRun(command, [request, format, &cli](Context& context) -> Status {
    const std::string& output = cli.flags.output;
    const bool markdown = *format == "md" || (format->empty() && output.ends_with(".md"));
    ASSAY_ASSIGN_OR_RETURN(ModelReport report, ReportOfModel(context, *request));
    const std::string page = markdown ? RenderReportMarkdown(report) : RenderReportHtml(report);
    ASSAY_RETURN_IF_ERROR(context.fs.WriteFileAtomically(output, page, 0644));
    const size_t claims = report.status.claims.size() + report.status.endpoint_claims.size();
    Emit(Format("report     %s (%s, %s): %s, %s\n", output, markdown ? "Markdown" : "HTML",
                HumanBytes(page.size()), Plural(claims, "claim"), Plural(report.records.size(), "record")));
    return Status::Ok();
  });
}

}  // namespace assay::cli
