// The one strict JSON parser behind every JSON file assay reads from outside
// (safetensors headers and shard indexes, eval logs): RFC 8259 only (no
// comments, no trailing commas), valid UTF-8, the whole text one value, and
// every object key unique. nlohmann::json alone keeps the last of two equal
// keys, so two readers could see different tensors in one header or different
// scores in one log; a duplicate is kInvalidInput naming the key. A raw NUL
// byte is refused (nlohmann would stop there and ignore the rest). Nesting
// deeper than kMaxStrictJsonDepth is refused, so hostile input cannot exhaust
// the stack of code that walks the result recursively.
//
// Messages carry no file name; the caller adds it. Running out of memory is
// kIo (an environment failure), never an exception.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>

#include "status.h"

namespace assay {

inline constexpr int kMaxStrictJsonDepth = 64;

// Into nlohmann::json, whose objects are sorted by key.
Result<nlohmann::json> ParseStrictJson(std::string_view text);
// Into nlohmann::ordered_json, whose objects keep the document's key order
// (what Python's json.dumps reproduces). Building one is linear in the number
// of members: duplicates are found by sorting each object's keys once.
Result<nlohmann::ordered_json> ParseStrictOrderedJson(std::string_view text);

// For lenient_json.h: the `ordinal`-th number token of the text (0-based, in
// document order) stands in for `value`. The lenient parser writes stand-ins
// for the NaN and Infinity literals that strict JSON lacks, then puts the
// values back through this, so the strictness checks above stay in one place.
struct JsonNumberStandIn {
  uint64_t ordinal = 0;
  double value = 0;
};
// `stand_ins` sorted by ordinal.
template <typename Json>
Result<Json> ParseStrictJsonWithStandIns(std::string_view text,
                                         std::span<const JsonNumberStandIn> stand_ins);

// `text` from a hostile file, made safe for a one-line message: in single
// quotes, control bytes written as \xNN, cut after 80 bytes with "...".
std::string QuoteUntrusted(std::string_view text);

}  // namespace assay
