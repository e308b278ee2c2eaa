// The evidence bundle (docs/spec/claim.md, Evidence bundles): one
// `.intoto.jsonl` file holding a claim, its model record, its reproductions
// and the signers' public keys, so a claim can be checked offline with no
// ledger. Each line is one JSON object: a DSSE envelope exactly as the ledger
// stores it, or, last, one line {"assayBundleKeys": "<trust file text>"}
// naming each signer's key with the name and roles the exporter's trust file
// gave it. Those names are the exporter's word, not the reader's trust: a
// verifier trusts them only when asked to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sign/trust_file.h"
#include "status.h"

namespace assay {

inline constexpr uint64_t kMaxEvidenceBundleBytes = uint64_t{256} << 20;

struct EvidenceBundle {
  // The claim first, then its model record (if any), its reproductions, the
  // plans they name and the revocations withdrawing any of them.
  std::vector<std::string> envelopes;
  TrustFile keys;
};

std::string FormatEvidenceBundle(const EvidenceBundle& bundle);
// kInvalidInput naming the line for anything else (the caller names the file).
Result<EvidenceBundle> ParseEvidenceBundle(std::string_view text);

}  // namespace assay
