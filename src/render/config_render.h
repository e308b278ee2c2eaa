// The config keys that changed between two uploads (model/config_diff.h), as
// `assay diff` and `assay history` show them: each file, then each key with
// its values, the identity keys marked "[identity]".
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/config_diff.h"

namespace assay {

// "config     PATH changed" and a "  key ..." line per key.
std::string ConfigFileText(const ConfigFileDifference& file);
// [{path, change, keysKnown, keys: [{key, change, identity, before, after}]}]
// (schema/cli/diff.schema.json's configs).
nlohmann::json ConfigDiffJson(const ConfigDiff& diff);

}  // namespace assay
