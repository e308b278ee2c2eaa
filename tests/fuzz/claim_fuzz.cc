// What evaluators hand each other beside records: transcript openings (the
// samples and salts behind a claim's root) and sample proofs.
#include <nlohmann/json.hpp>  // the readers return and hold JSON values

#include "claim/sample_proof.h"
#include "claim/transcript_opening.h"
#include "fuzz_target.h"

ASSAY_FUZZ_TARGET(transcript_opening) { (void)assay::ParseTranscriptOpening(input, "claim.transcript.jsonl"); }

ASSAY_FUZZ_TARGET(sample_proof) { (void)assay::ParseSampleProof(input); }
