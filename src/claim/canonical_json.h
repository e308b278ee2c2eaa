// Canonical JSON of a transcript leaf (DESIGN.md, Canonical definitions:
// transcript root; docs/spec/transcript-root.md): the one byte form a sample
// takes inside a leaf, so two implementations commit to the same bytes. It is
// formats/canonical_json.h's form, which is what Python's json.dumps(value,
// sort_keys=True, separators=(",", ":"), ensure_ascii=False) writes, with the
// non-finite numbers named:
//   - object keys sorted bytewise (UTF-8 order equals code point order);
//   - no insignificant white space;
//   - strings in UTF-8 as they are, escaping only '"', '\\' and control
//     characters (\b \f \n \r \t, others \u00xx);
//   - integers as integers; other numbers as Python's repr(float) writes them:
//     the shortest digits that read back to the same double, fixed notation
//     when the value is d.ddd x 10^e with -4 <= e < 16 ("0.0001", "1.0",
//     "1000000000000000.0"), otherwise "1e-05", "1e+16" (at least two
//     exponent digits);
//   - NaN, +Infinity and -Infinity as the strings "NaN", "Infinity", "-Infinity".
// nlohmann's own dump is not this form: its Grisu2 digits are not always the
// shortest (0.703347 comes out as 0.7033470000000001) and it writes 1e15 as
// "1e+15" where Python writes "1000000000000000.0".
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "status.h"

namespace assay {

// kInvalidInput when a string or key is not valid UTF-8 (a leaf commits to
// bytes, and bytes that are not text have no canonical form).
Result<std::string> CanonicalLeafJson(const nlohmann::json& value);

// A number as canonical JSON writes it: NaN and ±Infinity become strings.
nlohmann::json NumberJson(double value);

}  // namespace assay
