// assay verify claim [CLAIM]: checks a claim the way a sceptical reader would
// (docs/usage.md, "Claims and reproductions"): the claim's signature counts
// (a vendor in the trust file); its model record is there, counts and holds
// the root the claim binds; and, when given, the weights folder hashes to
// that root and the transcript opening hashes to the committed root and
// supports every claimed score. Reproductions are listed with their
// verdicts, each recomputed as far as the two records allow
// (claim/verdict_check.h): one altered after signing fails, one whose signer
// does not count as an evaluator is NOT COUNTED and used for nothing.
//
// With a bundle the records come from an evidence bundle instead of the
// ledger (no ledger is opened), and its keys only verify signatures: none
// counts unless the trust file has it or the request names its fingerprint.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "claim/claim_status.h"
#include "ops/context.h"
#include "record/record_check.h"

namespace assay {

struct VerifyClaimRequest {
  std::string claim;        // id or unique id prefix; with a bundle, may be empty (its claim)
  std::string weights_dir;  // a folder that must hash to the bound root
  std::string transcript;   // the claim's transcript opening: root and scores recomputed
  std::string bundle;       // an evidence bundle to read the records from, instead of the ledger
  std::vector<std::string> trusted_bundle_keys;  // SHA256:... fingerprints of bundle keys the user checked
  std::vector<std::string> checkpoints;  // cosigned checkpoints of the ledger that may witness a plan's registration
};

enum class CheckOutcome { kPass, kFail, kNotCounted };

// "pass", "fail", "not counted".
std::string_view CheckOutcomeName(CheckOutcome outcome);

// One check and what it found: `detail` in words, and, when the finding is
// that a record counts, the signer it counted for (shown after the detail).
struct ClaimCheck {
  std::string check;  // "signature", "withdrawn", "model", "weights", "served", "transcript", "score", "log model", "reproduction", "verdict"
  CheckOutcome outcome = CheckOutcome::kPass;
  std::string detail;
  std::optional<RecordSigner> signer;
};

struct ClaimVerification {
  SignedClaim claim;
  std::vector<ClaimCheck> checks;  // in the order they were made

  bool ok() const { return failures() == 0; }
  size_t failures() const;
};

// A record that does not count, or numbers that do not follow, are failed
// checks in the result, not errors. kInvalidInput for a malformed bundle
// (naming the file and line), an unknown --trust-bundle-key, a bundle
// without the claim, --weights on an endpoint claim or --transcript on a
// claim that commits to none; kNotFound for a claim the ledger lacks.
Result<ClaimVerification> VerifyClaim(Context& context, const VerifyClaimRequest& request);

// What the command exits with: kCheckFailed saying how many checks failed.
Status VerdictOf(const ClaimVerification& verification);

}  // namespace assay
