#include "ops/sample_proof_ops.h"

#include "claim/transcript_opening.h"
#include "ops/publish.h"
#include "ops/signed_claim.h"

namespace assay {
namespace {

// Proofs are small: one sample and 64 hashes at most.
constexpr uint64_t kMaxProofBytes = uint64_t{256} << 20;

Result<SignedClaim> ClaimWithTranscript(Context& context, const std::string& id) {
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context, /*create=*/false));
  ASSAY_ASSIGN_OR_RETURN(SignedClaim claim, LoadSignedClaim(context, *ledger, trust, id));
  if (!claim.claim.eval.transcript) return Status::InvalidInput("claim " + claim.record.id + " commits to no transcript");
  return claim;
}

}  // namespace

Result<ProvedSample> ProveClaimSample(Context& context, const ProveSampleRequest& request) {
  ASSAY_ASSIGN_OR_RETURN(SignedClaim claim, ClaimWithTranscript(context, request.claim));
  ASSAY_ASSIGN_OR_RETURN(Transcript transcript, ReadTranscriptOpening(context.fs, request.transcript));
  const std::string& committed = claim.claim.eval.transcript->root;
  if (ToHex(transcript.root) != committed) {
    return Status::InvalidInput(request.transcript + ": transcript root " + ToHex(transcript.root) + " is not claim " +
                                claim.record.id.substr(0, 16) + "'s " + committed);
  }
  Result<SampleProof> proof = ProveSample(transcript, claim.record.id, request.sample_id);
  if (!proof.ok()) return proof.status().WithContext(request.transcript);
  ProvedSample proved{std::move(*proof), "", ""};
  proved.text = FormatSampleProof(proved.proof);
  if (!request.output_path.empty()) {
    ASSAY_RETURN_IF_ERROR(context.fs.WriteFileAtomically(request.output_path, proved.text, 0644));
    proved.written = request.output_path;
  }
  return proved;
}

Result<SampleVerification> VerifySample(Context& context, const std::string& proof_path) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(context.fs, proof_path, kMaxProofBytes));
  Result<SampleProof> proof = ParseSampleProof(text);
  if (!proof.ok()) return proof.status().WithContext(proof_path);
  ASSAY_ASSIGN_OR_RETURN(SignedClaim claim, ClaimWithTranscript(context, proof->claim_id));
  if (!claim.record.counts()) return Status::CheckFailed("claim " + claim.record.id + ": " + claim.record.problem);
  const TranscriptCommitment& committed = *claim.claim.eval.transcript;
  Status checked = CheckSampleProof(*proof, *Sha256FromHex(committed.root), committed.samples);
  if (!checked.ok()) return checked.WithContext(proof_path);
  return SampleVerification{std::move(*proof), std::move(claim)};
}

}  // namespace assay
