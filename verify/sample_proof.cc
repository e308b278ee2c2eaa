// assay prove sample CLAIM SAMPLE_ID --transcript OPENING: reveal one sample
// of a committed transcript with its inclusion proof; assay verify sample
// PROOF: check it against the transcript root the signed claim commits to
// (docs/spec/transcript-root.md, Sample proofs). A held-out benchmark can be
// revealed this way one sample at a time.
#include <cstdio>
#include <memory>

#include "claim/sample_proof.h"
#include "claim/transcript_opening.h"
#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/ledger_records.h"
#include "json/strict_json.h"

namespace assay::cli {
namespace {

// Proofs are small: one sample and 64 hashes at most.
constexpr uint64_t kMaxProofBytes = uint64_t{256} << 20;

struct ProveSampleOptions {
  std::string claim;
  std::string sample_id;
  std::string transcript;
  std::string output_path;
  LedgerOptions ledger;
  std::string trust_path;
};

struct VerifySampleOptions {
  std::string proof_path;
  LedgerOptions ledger;
  std::string trust_path;
};

Result<SignedClaim> ClaimFromLedger(const LedgerOptions& ledger_options, const std::string& trust_path,
                                    const std::string& id) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(trust_path)));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(ledger_options));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(SignedClaim claim, LoadSignedClaim(*index, id, trust));
  if (!claim.claim.eval.transcript) return Status::InvalidInput("claim " + claim.id + " commits to no transcript");
  return claim;
}

Status RunProveSample(const ProveSampleOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(SignedClaim claim, ClaimFromLedger(options.ledger, options.trust_path, options.claim));
  ASSAY_ASSIGN_OR_RETURN(Transcript transcript, ReadTranscriptOpening(LocalFileSystem(), options.transcript));
  if (ToHex(transcript.root) != claim.claim.eval.transcript->root) {
    return Status::InvalidInput(options.transcript + ": transcript root " + ToHex(transcript.root) + " is not claim " +
                                claim.id.substr(0, 16) + "'s " + claim.claim.eval.transcript->root);
  }
  Result<SampleProof> proof = ProveSample(transcript, claim.id, options.sample_id);
  if (!proof.ok()) return proof.status().WithContext(options.transcript);
  const std::string text = FormatSampleProof(*proof);
  if (options.output_path.empty()) {
    std::fputs(text.c_str(), stdout);
    return Status::Ok();
  }
  ASSAY_RETURN_IF_ERROR(LocalFileSystem().WriteFileAtomically(options.output_path, text, 0644));
  Print("proof      %s: sample %s, leaf %llu of %llu\n", options.output_path, options.sample_id,
              static_cast<unsigned long long>(proof->index), static_cast<unsigned long long>(proof->tree_size));
  return Status::Ok();
}

Status RunVerifySample(const VerifySampleOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(LocalFileSystem(), options.proof_path, kMaxProofBytes));
  Result<SampleProof> proof = ParseSampleProof(text);
  if (!proof.ok()) return proof.status().WithContext(options.proof_path);
  ASSAY_ASSIGN_OR_RETURN(SignedClaim claim, ClaimFromLedger(options.ledger, options.trust_path, proof->claim_id));
  if (!claim.trusted) return Status::CheckFailed("claim " + claim.id + ": " + claim.problem);
  const Sha256Digest committed = *Sha256FromHex(claim.claim.eval.transcript->root);
  Status checked = CheckSampleProof(*proof, committed, claim.claim.eval.transcript->samples);
  if (!checked.ok()) return checked.WithContext(options.proof_path);
  Print("ok         sample %s is leaf %llu of the %llu-sample transcript claim %s commits to\n",
              proof->leaf.id, static_cast<unsigned long long>(proof->index),
              static_cast<unsigned long long>(proof->tree_size), claim.id.substr(0, 16));
  Print("signed by  %s\n", claim.signers.front());
  Print("sample     %s\n", proof->leaf.canonical);
  return Status::Ok();
}

}  // namespace

void AddSampleProofCommands(CLI::App& app, CLI::App& verify, Status& outcome) {
  CLI::App* prove = app.add_subcommand("prove", "prove a revealed sample is part of a claim's transcript");
  prove->require_subcommand(1);
  auto prove_options = std::make_shared<ProveSampleOptions>();
  CLI::App* sample = prove->add_subcommand("sample", "print one sample of a claim's transcript with its inclusion proof");
  sample->add_option("CLAIM", prove_options->claim, "the claim: id or id prefix")->required();
  sample->add_option("SAMPLE_ID", prove_options->sample_id, "the sample's id, as the transcript names it")->required();
  sample->add_option("--transcript", prove_options->transcript, "the claim's transcript opening")->required();
  sample->add_option("-o,--output", prove_options->output_path, "write the proof here instead of stdout");
  AddLedgerOption(*sample, prove_options->ledger);
  sample->add_option("--trust", prove_options->trust_path, "trust file");
  sample->callback([prove_options, &outcome] { outcome = RunProveSample(*prove_options); });

  auto verify_options = std::make_shared<VerifySampleOptions>();
  CLI::App* check = verify.add_subcommand("sample", "check a sample proof against the claim it names");
  check->add_option("PROOF", verify_options->proof_path, "the proof file 'assay prove sample' wrote")->required();
  AddLedgerOption(*check, verify_options->ledger);
  check->add_option("--trust", verify_options->trust_path, "trust file (the claim's signer must be a vendor in it)");
  check->callback([verify_options, &outcome] { outcome = RunVerifySample(*verify_options); });
}

}  // namespace assay::cli
