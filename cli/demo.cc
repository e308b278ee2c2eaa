// assay demo: the README's main job. For now it writes a small sample model
// and attests it; the claim-and-reproduce story joins it with the ledger.
#include <cstdio>
#include <memory>
#include <string>

#include "attest/attest_model.h"
#include "cli/command.h"
#include "model/synthetic_model.h"

namespace assay::cli {
namespace {

struct DemoOptions {
  std::string dir = "assay-demo";
};

Status RunDemo(const DemoOptions& options) {
  const std::string model = options.dir + "/vendor-model";
  SyntheticModelSpec spec;
  spec.shards = 2;
  ASSAY_RETURN_IF_ERROR(WriteSyntheticModel(model, spec));
  std::printf("wrote a sample model (2 safetensors shards, an index and config.json) to %s\n\n",
              model.c_str());
  AttestModelOptions attest;
  attest.folder = model;
  attest.name = "demo/vendor-model";
  attest.revision = "v1";
  attest.output_path = options.dir + "/vendor-model.statement.json";
  attest.use_cache = false;  // the demo shows a full hash
  ASSAY_RETURN_IF_ERROR(RunAttestModel(attest));
  std::printf("\nexplore further:\n");
  std::printf("  assay attest model %s --json | head -c 600\n", model.c_str());
  std::printf("  sha256sum %s/*.safetensors   # equals each file subject's digest\n", model.c_str());
  return Status::Ok();
}

}  // namespace

void AddDemoCommand(CLI::App& app, Status& outcome) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* command = app.add_subcommand("demo", "write a sample model and attest it");
  command->add_option("--dir", options->dir, "folder for the demo (kept afterwards)");
  command->callback([options, &outcome] { outcome = RunDemo(*options); });
}

}  // namespace assay::cli
