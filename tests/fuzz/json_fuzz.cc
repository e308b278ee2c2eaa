// The two JSON readers: strict (records, signed bytes) and lenient (the logs
// harnesses write, NaN and all).
#include <nlohmann/json.hpp>  // the readers return and hold JSON values

#include "fuzz_target.h"
#include "json/lenient_json.h"
#include "json/strict_json.h"

ASSAY_FUZZ_TARGET(strict_json) { (void)assay::ParseStrictJson(input); }

ASSAY_FUZZ_TARGET(lenient_json) { (void)assay::ParseLenientJson(input); }
