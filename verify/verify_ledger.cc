// assay verify ledger: the append-only proof (docs/spec/ledger.md): every
// commit only adds records, every record and every commit is signed by a
// trusted key, every record sits at the path its content gives.
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "ledger/ledger_verification.h"

namespace assay::cli {
namespace {

struct VerifyLedgerOptions {
  LedgerOptions ledger;
  std::string trust_path;
};

Status RunVerifyLedger(const VerifyLedgerOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.ledger));
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.trust_path)));
  ASSAY_ASSIGN_OR_RETURN(LedgerReport report, VerifyLedger(*ledger, trust));
  std::printf("ledger     %s\n", ledger->path().c_str());
  std::printf("head       %s\n", report.head.empty() ? "(no records yet)" : report.head.c_str());
  std::printf("records    %zu\n", report.record_ids.size());
  std::printf("commits    %llu\n", static_cast<unsigned long long>(report.commits));
  std::printf("verified   every commit only adds records; every record and commit is signed by a trusted key\n");
  return Status::Ok();
}

}  // namespace

void AddVerifyLedgerCommand(CLI::App& verify, Status& outcome) {
  auto options = std::make_shared<VerifyLedgerOptions>();
  CLI::App* command = verify.add_subcommand("ledger", "prove the ledger was only ever appended to");
  AddLedgerOption(*command, options->ledger);
  command->add_option("--trust", options->trust_path, "trust file (env ASSAY_TRUST_FILE)");
  command->callback([options, &outcome] { outcome = RunVerifyLedger(*options); });
}

}  // namespace assay::cli
