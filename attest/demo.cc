// assay demo [--dir DIR]: flags -> RunDemo (src/ops/demo.h) -> the story, step by step.
#include <memory>

#include "cli/command.h"
#include "ops/demo.h"
#include "render/demo_render.h"

namespace assay::cli {

void AddDemoCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<DemoRequest>();
  CLI::App* command =
      app.add_subcommand("demo", "the whole story on generated data: claim, re-upload, reproduction, status (./assay-demo)");
  command->add_option("--dir", request->dir, "folder for the demo (kept afterwards)");
  cli.OnRun(command, [request](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(DemoStory story, RunDemo(context, *request));
    Emit(RenderText(story));
    return Status::Ok();
  });
}

}  // namespace assay::cli
