// The transcript opening (docs/spec/transcript-root.md): the file that keeps
// a committed transcript's samples together with their salts, so the holder
// can recompute the root, recompute scores and reveal samples one by one. It
// is JSON Lines: a header line, then one line per sample in leaf order:
//   {"assayTranscriptOpening":1,"root":"<hex>","samples":N}
//   {"id":"<sample id>","salt":"<64 hex>","leaf":<leaf object>}
// A vendor may publish it (an open benchmark) or keep it (a held-out one).
#pragma once

#include <string>
#include <string_view>

#include "claim/scored_samples.h"
#include "claim/transcript.h"
#include "file_system.h"
#include "status.h"

namespace assay {

// The largest opening read whole (ReadTranscriptOpening): 100,000 samples of
// a long-context benchmark. ScanTranscriptOpening reads any size.
inline constexpr uint64_t kMaxTranscriptOpeningBytes = uint64_t{4} << 30;
// The longest line of an opening: a sample's line of an lm-eval row of the
// longest legal length, with room for its escapes.
inline constexpr uint64_t kMaxTranscriptOpeningLineBytes = uint64_t{64} << 20;

std::string FormatTranscriptOpening(const Transcript& transcript);
// Its pieces, for writers that give the opening line by line: the header
// line, and one sample's line (each with its "\n").
std::string OpeningHeaderLine(const Sha256Digest& root, uint64_t samples);
void AppendOpeningLine(const TranscriptLeaf& leaf, std::string& out);

// Reads an opening and recomputes every leaf and the root from it.
// kInvalidInput, naming `path` and the line, when it is malformed (samples
// out of id order included); kCheckFailed when the header's root is not the
// root of the samples that follow (a sample was edited, added or removed
// after the commitment).
Result<Transcript> ParseTranscriptOpening(std::string_view text, const std::string& path);
Result<Transcript> ReadTranscriptOpening(FileSystem& fs, const std::string& path);

// What verifying scores needs of an opening: its root, recomputed and
// checked as ReadTranscriptOpening checks it, and each sample's id and
// scores (and digests, `with_digests`) in leaf order. The file is read line
// by line on every core, so an opening of a million samples costs memory for
// its ids and scores only.
struct ScannedTranscript {
  Sha256Digest root{};
  ScoredSamples scored;
};
Result<ScannedTranscript> ScanTranscriptOpening(FileSystem& fs, const std::string& path, bool with_digests = false);

}  // namespace assay
