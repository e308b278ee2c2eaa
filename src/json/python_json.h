// Python's own text forms of JSON values, byte for byte, for recomputing the
// hashes lm-evaluation-harness writes (docs/spec/eval-logs.md):
// doc_hash = SHA-256 of json.dumps(doc, indent=2, ensure_ascii=False), and
// target_hash = SHA-256 of str(target).
//
// The input is the value Python's json.loads would have built from the same
// text: objects keep the document's key order (so ordered_json, as
// ParseLenientOrderedJson gives), integers stay integers, and floats are
// doubles, NaN and ±Infinity included. Integers beyond 64 bits, which Python
// keeps exact, arrive here as doubles (nlohmann's parser has no big integers)
// and so print differently: a recomputed hash then differs, and the caller
// reports it. Nesting must be within kMaxStrictJsonDepth (strict_json.h), as
// every parser here ensures: both functions recurse.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace assay {

// json.dumps(value, indent=2, ensure_ascii=False): two-space indent, ","
// between items and ": " after keys, [] and {} for empty containers, floats
// as repr() writes them ("1.0", "1e-05", "NaN", "Infinity"), and in strings
// only '"', '\\' and control characters below U+0020 escaped (\n \r \t \b \f
// short, the rest \u00XX); everything else is written as UTF-8.
std::string PythonJsonDumps(const nlohmann::ordered_json& value);

// json.dumps of one string with ensure_ascii=False, appended to `out`: in
// double quotes, only '"', '\\' and control characters below U+0020 escaped.
// Canonical JSON (canonical_json.h) writes strings the same way.
void AppendPythonJsonString(std::string& out, std::string_view text);

// str(value): a string as itself; None, True, False; numbers as repr; lists
// and dicts as Python prints them ("['a', 1]", "{'k': None}"), strings inside
// them in repr's quotes and escapes. Python escapes non-printable non-ASCII
// characters by the Unicode database; this knows the control, format,
// separator, space and private-use ranges but not unassigned code points,
// which Python escapes too and this writes as UTF-8.
std::string PythonStr(const nlohmann::ordered_json& value);

}  // namespace assay
