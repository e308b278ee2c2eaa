// Reads a model record's statement back into a ModelManifest, checking its
// structure in code (readers do not trust a schema validator to have run):
// `assay verify model` compares it with a fresh hash of a folder, and diffs and
// audits compare two of them.
#pragma once

#include <string_view>

#include "model/model_manifest.h"
#include "record/model_statement.h"
#include "status.h"

namespace assay {

struct ModelRecord {
  ModelIdentity identity;
  ModelManifest manifest;  // folder, bytes_read are empty
};

// `statement_bytes` is the verified payload of a record (or an unsigned
// statement). kInvalidInput, saying which field is wrong, for anything that is
// not a well-formed model statement, including subjects that disagree with
// the predicate's file table or roots.
Result<ModelRecord> ParseModelStatement(std::string_view statement_bytes);

}  // namespace assay
