// assay demo: the README's main job. In a folder of its own (kept afterwards)
// it makes a vendor key and a trust file, writes a small sample model, signs a
// model record for it and verifies the folder against the record. The
// claim-and-reproduce story joins it with the ledger.
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "attest/attest_model.h"
#include "attest/key.h"
#include "attest/trust.h"
#include "cli/command.h"
#include "ledger/ledger_store.h"
#include "model/synthetic_model.h"

namespace assay::cli {
namespace {

struct DemoOptions {
  std::string dir = "assay-demo";
};

void Step(const char* text) { std::printf("\n== %s\n", text); }

// The vendor's key and trust entry; kept from an earlier run, so the demo can run again.
Status SetUpVendor(const std::string& key_path, const std::string& trust_path) {
  if (::access(key_path.c_str(), F_OK) == 0) {
    std::printf("reusing the vendor key %s and trust file %s\n", key_path.c_str(), trust_path.c_str());
    return Status::Ok();
  }
  GenerateOptions key;
  key.key.key_path = key_path;
  key.unencrypted = true;  // a throwaway key in a demo folder; real keys are encrypted
  ASSAY_RETURN_IF_ERROR(RunGenerate(key));
  TrustAddOptions trust;
  trust.trust_path = trust_path;
  trust.name = "demo-vendor";
  trust.roles = {"vendor"};
  trust.key_file = PublicKeyPathFor(key_path);
  return RunTrustAdd(trust);
}

Status RunDemo(const DemoOptions& options) {
  const std::string& dir = options.dir;
  const std::string model = dir + "/vendor-model";
  const std::string key_path = dir + "/keys/vendor.key";
  const std::string trust_path = dir + "/trust";
  const std::string record = dir + "/vendor-model.record.json";
  const std::string ledger = dir + "/ledger";

  // Everything the demo makes stays in its folder, the ledger's query index too.
  ::setenv("ASSAY_CACHE_DIR", (dir + "/cache").c_str(), /*overwrite=*/1);
  Step("the demo keeps its own ledger, a git repository of signed records");
  ASSAY_RETURN_IF_ERROR(LedgerStore::Init(ledger).status());
  std::printf("ledger     %s\n", ledger.c_str());

  Step("a vendor makes a signing key and the demo trusts it as a vendor");
  ASSAY_RETURN_IF_ERROR(SetUpVendor(key_path, trust_path));

  Step("the vendor writes a model: two safetensors shards, an index and config.json");
  SyntheticModelSpec spec;
  spec.shards = 2;
  ASSAY_RETURN_IF_ERROR(WriteSyntheticModel(model, spec));
  std::printf("wrote %s\n", model.c_str());

  Step("the vendor attests the exact weights in a signed model record");
  AttestModelOptions attest;
  attest.folder = model;
  attest.name = "demo/vendor-model";
  attest.revision = "v1";
  attest.output_path = record;
  attest.use_cache = false;  // the demo shows a full hash
  attest.key.key_path = key_path;
  attest.ledger.path = ledger;
  attest.trust_path = trust_path;
  ASSAY_RETURN_IF_ERROR(RunAttestModel(attest));

  const std::string verify = "assay verify model " + record + " " + model + " --trust " + trust_path;
  std::printf("\nexplore further:\n");
  std::printf("  %s\n", verify.c_str());
  std::printf("  assay key show --key %s\n", key_path.c_str());
  std::printf("  git -C %s log --oneline\n", ledger.c_str());
  std::printf("  assay attest model %s --unsigned --json | head -c 600\n", model.c_str());
  std::printf("  sha256sum %s/*.safetensors   # equals each file subject's digest\n", model.c_str());
  return Status::Ok();
}

}  // namespace

void AddDemoCommand(CLI::App& app, Status& outcome) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* command = app.add_subcommand("demo", "write a sample model, sign a record of it (in ./assay-demo)");
  command->add_option("--dir", options->dir, "folder for the demo (kept afterwards)");
  command->callback([options, &outcome] { outcome = RunDemo(*options); });
}

}  // namespace assay::cli
