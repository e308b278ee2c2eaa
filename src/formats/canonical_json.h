// The canonical JSON of DESIGN.md ("Canonical definitions"), as sample
// digests use it (docs/spec/eval-logs.md): object keys sorted bytewise (UTF-8
// order is code point order), no insignificant white space, strings as UTF-8
// escaping only '"', '\\' and control characters below U+0020 (\b \f \n \r \t
// short, the rest \u00xx), integers as integers, other numbers as Python's
// repr(float) writes them (formats/float_text.h: "1.0", "1e-05", "1e+16"),
// and NaN, Infinity, -Infinity as the strings "NaN", "Infinity", "-Infinity".
// That is Python's json.dumps(value, sort_keys=True, separators=(",", ":"),
// ensure_ascii=False) with the non-finite numbers named: the same bytes as the
// transcript root's leaves (claim/canonical_json.h), which adds a UTF-8 check.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace assay {

// Precondition: strings are valid UTF-8 (every parser here checks) and there
// are no binary values. Recursive: nesting within kMaxStrictJsonDepth plus
// what the caller adds.
std::string CanonicalJson(const nlohmann::json& value);

// Lowercase hex SHA-256 of CanonicalJson(value).
std::string CanonicalJsonSha256(const nlohmann::json& value);

}  // namespace assay
