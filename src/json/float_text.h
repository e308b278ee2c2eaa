// Python's repr(float): the shortest decimal text that reads back as the same
// double (the digits std::to_chars finds), laid out as CPython lays it out.
// lm-evaluation-harness's doc_hash and target_hash hash text with floats in
// it (json.dumps and str() use repr), and canonical JSON writes numbers so.
//   1.0 -> "1.0", 0.1 -> "0.1", 1e-5 -> "1e-05", 1e16 -> "1e+16",
//   1e15 -> "1000000000000000.0", -0.0 -> "-0.0", 5e-324 -> "5e-324",
//   NaN -> "nan", infinities -> "inf", "-inf".
#pragma once

#include <string>

namespace assay {

std::string PythonFloatRepr(double value);

}  // namespace assay
