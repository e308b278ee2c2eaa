// assay report MODEL: everything a reader of one model's scores needs on one
// page (docs/report.md): its status (ops/model_status.h), the history of its
// repository (ops/history_ops.h), who signed each record they name and which
// records do not count, and the ledger's head, so that the HTML and Markdown
// renderers (render/report_render.h) need nothing else.
#pragma once

#include <string>
#include <vector>

#include "ops/context.h"
#include "ops/history_ops.h"
#include "ops/model_status.h"

namespace assay {

struct ReportRequest {
  std::string model;  // as status takes it: record id or prefix, weights root, NAME[@REVISION]
  std::vector<std::string> checkpoints;  // cosigned checkpoints, as status and history take them
};

// A record the report names, judged in the role its kind needs.
struct ReportRecord {
  std::string id;
  std::string kind;  // "model record", "claim", "reproduction", "observation", "deployment", "comparison", "plan",
                     // "revocation", or "record" for another type
  CheckedRecord judged;  // its signers, and why it does not count ("" when it does)
};

// The ledger as the report read it: what `assay verify ledger` and a
// checkpoint name.
struct ReportLedger {
  std::string path;
  std::string head;  // the head commit
  uint64_t size = 0;  // records
  std::string root;   // the Merkle root of the record ids, hex (docs/spec/ledger.md)
};

struct ModelReport {
  ModelStatus status;
  ModelHistory history;  // of the model's name; no revisions when the ledger has none
  std::vector<ReportRecord> records;  // every record named above, once, in ledger order
  ReportLedger ledger;
  std::string trust_file;    // the trust file it was judged with, for the commands it prints
  std::vector<std::string> checkpoints;  // the cosigned checkpoints it was given, likewise
  std::string generated_at;  // RFC 3339 UTC, by this machine's clock
};

// kNotFound for a model or ledger that is not there (as status).
Result<ModelReport> ReportOfModel(Context& context, const ReportRequest& request);

}  // namespace assay
