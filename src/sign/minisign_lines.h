// The line structure shared by minisign's public key, secret key and signature
// files: a first line starting "untrusted comment: ", then a fixed number of
// lines, then nothing but blank lines. minisign writes LF line ends; CRLF
// (a file that passed through Windows) is accepted too.
#pragma once

#include <string_view>
#include <vector>

#include "status.h"

namespace assay {

// The algorithm tag that opens minisign key blobs (minisign.h SIGALG).
inline constexpr std::string_view kSignatureAlgorithm = "Ed";
inline constexpr std::string_view kUntrustedCommentPrefix = "untrusted comment: ";
inline constexpr std::string_view kTrustedCommentPrefix = "trusted comment: ";

// The longest comments minisign 0.11 reads back: it reads a line into 1024
// (untrusted) or 8192 (trusted) bytes including the prefix, line end and NUL.
inline constexpr size_t kMaxUntrustedCommentSize = 1024 - kUntrustedCommentPrefix.size() - 2;
inline constexpr size_t kMaxTrustedCommentSize = 8192 - kTrustedCommentPrefix.size() - 2;

// The `count` lines of `text` without their line ends; lines[0] has been
// checked to start with kUntrustedCommentPrefix and to be no longer than
// minisign reads. No line holds a carriage return (minisign would cut it
// there). The views point into `text`.
// kInvalidInput naming `what` ("public key", "signature") when the shape is wrong.
Result<std::vector<std::string_view>> SplitMinisignLines(std::string_view text, size_t count,
                                                         std::string_view what);

}  // namespace assay
