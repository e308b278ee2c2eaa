// JSON as Python's json module writes it. json.dumps writes the non-finite
// floats as the bare literals NaN, Infinity and -Infinity (allow_nan=True is
// its default), so real eval logs hold them: lm-evaluation-harness writes
// "mae,none": Infinity and "acc_stderr,none": NaN. RFC 8259 has no such
// literals and nlohmann::json refuses them. This parser accepts exactly those
// three, outside strings and where a value may stand, and gives them as the
// double they mean; everything else is as strict as strict_json.h (the same
// code checks it: duplicate keys, depth, NUL bytes, UTF-8).
//
// Errors are kInvalidInput without a file name (the caller adds it); line and
// column in nlohmann's messages still point into the caller's text.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "status.h"

namespace assay {

Result<nlohmann::json> ParseLenientJson(std::string_view text);
// Keeping each object's key order, as python_json.h needs to reproduce
// json.dumps of a document.
Result<nlohmann::ordered_json> ParseLenientOrderedJson(std::string_view text);

}  // namespace assay
