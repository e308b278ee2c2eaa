// assay demo: the README's main job. In a folder of its own (kept
// afterwards) with its own keys, trust file and ledger, it tells the whole
// story with generated data and real signatures: a vendor attests a small
// model and claims a score backed by a transcript; a "re-upload" with
// changed tensors is attested under the same name; an evaluator checks the
// weights, re-runs the eval (a lower score) and countersigns "not
// reproduced"; and the status shows the verdict and the changed upload. Then
// the Hub: an auditor observes the vendor's repository (three uploads), a
// host declares it served the second, the vendor claims a high score for
// its API, the evaluator's comparison finds a different model behind it,
// and the history shows it all (docs/usage.md, "assay demo"). Every step is one of the library's own
// operations, run with a Context whose paths all point into the folder, so
// the user's keys, trust file, ledger and cache are never touched.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "ops/attest_claim.h"
#include "ops/attest_model.h"
#include "ops/attest_reproduction.h"
#include "ops/comparison_ops.h"
#include "ops/context.h"
#include "ops/deployment_ops.h"
#include "ops/history_ops.h"
#include "ops/model_status.h"
#include "ops/observe_ops.h"
#include "sign/minisign_key.h"
#include "sign/trust_file.h"

namespace assay {

struct DemoRequest {
  std::string dir = "assay-demo";
  // How the printed commands invoke assay; empty: this very program, as
  // ./PATH when it lies below the current folder (the README runs ./build/assay demo).
  std::string program;
};

struct DemoLedger {
  std::string path;
};

// A party's throwaway key (unencrypted) and its trust-file entry.
struct DemoParty {
  std::string name;  // its name in the trust file: "demo-vendor"
  TrustRole role = TrustRole::kVendor;
  std::string key_file;
  std::string public_key_file;
  MinisignPublicKey key;
  bool reused = false;  // the key was there from an earlier run, and is kept
  std::string trust_file;
};

struct DemoStep {
  std::string title;
  std::variant<DemoLedger, std::vector<DemoParty>, AttestedModel, AttestedClaim, AttestedReproduction, ModelStatus,
               ObserveOutcome, AttestedDeployment, AttestedComparison, ModelHistory>
      result;
};

struct DemoStory {
  std::string dir;  // absolute
  std::vector<DemoStep> steps;
  std::vector<std::string> commands;  // to explore further; each works as printed
};

// kInvalidInput, with a hint, when a demo already ran in the folder; other
// errors are those of the step that failed.
Result<DemoStory> RunDemo(Context& context, const DemoRequest& request);

}  // namespace assay
