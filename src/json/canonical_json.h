// The canonical JSON of DESIGN.md ("Canonical definitions"), as sample
// digests use it (docs/spec/eval-logs.md): object keys sorted bytewise (UTF-8
// order is code point order), no insignificant white space, strings as UTF-8
// escaping only '"', '\\' and control characters below U+0020 (\b \f \n \r \t
// short, the rest \u00xx), integers as integers, other numbers as Python's
// repr(float) writes them (json/float_text.h: "1.0", "1e-05", "1e+16"),
// and NaN, Infinity, -Infinity as the strings "NaN", "Infinity", "-Infinity".
// That is Python's json.dumps(value, sort_keys=True, separators=(",", ":"),
// ensure_ascii=False) with the non-finite numbers named. It is the one
// canonical form: sample digests, transcript leaves (docs/spec/transcript-root.md)
// and the numbers records write all use it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "status.h"

namespace assay {

// Precondition: strings are valid UTF-8 (every parser here checks) and there
// are no binary values. Recursive: nesting within kMaxStrictJsonDepth plus
// what the caller adds.
std::string CanonicalJson(const nlohmann::json& value);

// Lowercase hex SHA-256 of CanonicalJson(value).
std::string CanonicalJsonSha256(const nlohmann::json& value);

// CanonicalJson for a transcript leaf, which commits to bytes: kInvalidInput
// when a string or key is not valid UTF-8 (bytes that are not text have no
// canonical form).
Result<std::string> CanonicalLeafJson(const nlohmann::json& value);

// A number as canonical JSON writes it: NaN and ±Infinity become strings.
nlohmann::json NumberJson(double value);

}  // namespace assay
