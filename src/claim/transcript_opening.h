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

#include "claim/transcript.h"
#include "file_system.h"
#include "status.h"

namespace assay {

// The largest opening read: 100,000 samples of a long-context benchmark.
inline constexpr uint64_t kMaxTranscriptOpeningBytes = uint64_t{4} << 30;

std::string FormatTranscriptOpening(const Transcript& transcript);

// Reads an opening and recomputes every leaf and the root from it.
// kInvalidInput, naming `path` and the line, when it is malformed; kCheckFailed
// when the header's root is not the root of the samples that follow (a
// sample was edited, added or removed after the commitment).
Result<Transcript> ParseTranscriptOpening(std::string_view text, const std::string& path);
Result<Transcript> ReadTranscriptOpening(FileSystem& fs, const std::string& path);

}  // namespace assay
