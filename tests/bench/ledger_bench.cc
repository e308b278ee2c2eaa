// The ledger benchmark (issue "The git-backed ledger"; not run by CI):
//   bench_ledger DIR [RECORDS]   (default 100000)
// Builds a ledger of signed model records in DIR/ledger with its index, and
// prints: synced and unsynced append time per record at 1,000 and at RECORDS,
// index query times at RECORDS, a full verify's rate, and disk use loose and
// packed (libgit2's packbuilder).
#include <git2.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "ledger/index_sync.h"
#include "ledger/ledger_index.h"
#include "ledger/ledger_store.h"
#include "ledger/ledger_verification.h"
#include "record/model_statement.h"
#include "sign/dsse.h"
#include "sign/minisign_secret_key.h"
#include "sign/openssh_key.h"

namespace assay {
namespace {

double Seconds(const std::function<void()>& work) {
  auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void Check(const Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "bench_ledger: %s\n", status.message().c_str());
    std::exit(1);
  }
}

uint64_t DiskBytes(const std::string& path) {
  uint64_t total = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

class Bench {
 public:
  Bench(const std::string& dir) : dir_(dir) {
    std::filesystem::remove_all(dir);
    ledger_ = std::move(LedgerStore::Init(dir + "/ledger")).value();
    index_ = std::move(LedgerIndex::Open(dir + "/index.sqlite3")).value();
    Check(trust_.Add({"bench", {TrustRole::kVendor}, key_.public_key(), std::nullopt, std::nullopt}));
  }

  // Appends one signed model record and indexes it, as `assay attest` does.
  void AppendOne() {
    ModelManifest manifest;
    FileRecord file;
    file.path = "weights.bin";
    file.size = count_;
    file.sha256 = Sha256::Of(std::to_string(count_));
    manifest.files.push_back(file);
    std::string statement = *StatementBytes(ModelStatement(manifest, {"bench/model-" + std::to_string(count_), "v1"}));
    std::string envelope = SerializeDsseEnvelope(SignDsse(kInTotoPayloadType, statement, key_.key()));
    CommitSigner signer{&key_.key(), "bench", FormatMinisignKeyId(key_.key_id())};
    LedgerStore::Appended appended = *ledger_->Append(envelope, signer, 1'790'000'000 + static_cast<int64_t>(count_));
    Check(index_->Append({{count_, appended.record_id, appended.commit, appended.stored}}, appended.commit));
    ++count_;
  }

  // Mean milliseconds per append over `n` appends.
  double TimeAppends(int n, bool sync) {
    ledger_->set_sync_writes(sync);
    double seconds = Seconds([&] {
      for (int i = 0; i < n; ++i) AppendOne();
    });
    ledger_->set_sync_writes(false);
    return seconds * 1000 / n;
  }

  void GrowTo(uint64_t records) {
    ledger_->set_sync_writes(false);
    while (count_ < records) AppendOne();
  }

  void Report(const char* label) {
    std::printf("%-8s appends: %.2f ms synced, %.2f ms unsynced (per record)\n", label, TimeAppends(100, true),
                TimeAppends(100, false));
  }

  void Queries() {
    std::string name = "bench/model-" + std::to_string(count_ / 2);
    std::string id;
    auto query = [&](const char* what, const std::function<void()>& run) {
      run();  // first run prepares the statement
      std::printf("query    %-28s %.3f ms\n", what, Seconds(run) * 1000);
    };
    query("log (newest 20)", [&] { Check(index_->Log(20).status()); });
    query("models by name@revision", [&] {
      auto found = *index_->ModelsByName(name, std::string("v1"));
      id = found.at(0).record.id;
    });
    query("find by 10-hex prefix", [&] { Check(index_->Find(id.substr(0, 10)).status()); });
    query("resolve model by name", [&] { Check(index_->ResolveModel(name + "@v1").status()); });
    query("records by signer", [&] { Check(index_->RecordsBySignerKeyId(SshFingerprint(key_.key().public_key())).status()); });
  }

  void Verify() {
    uint64_t walked = 0;
    double walk = Seconds([&] {
      Check(ledger_->ForEachRecord([&](const LedgerEntry&) {
        ++walked;
        return Status::Ok();
      }));
    });
    std::printf("walk     %llu records in ledger order in %.1f s: %.0f records/s\n",
                static_cast<unsigned long long>(walked), walk, static_cast<double>(walked) / walk);
    LedgerReport report;
    double seconds = Seconds([&] { report = *VerifyLedger(*ledger_, trust_); });
    std::printf("verify   %zu records, %llu commits in %.1f s: %.0f records/s\n", report.record_ids.size(),
                static_cast<unsigned long long>(report.commits), seconds,
                static_cast<double>(report.record_ids.size()) / seconds);
  }

  void Pack() {
    const uint64_t loose = DiskBytes(dir_ + "/ledger");
    git_packbuilder* packer = nullptr;
    git_packbuilder_new(&packer, ledger_->repository());
    git_revwalk* walk = nullptr;
    git_revwalk_new(&walk, ledger_->repository());
    git_revwalk_push_ref(walk, kLedgerBranch);
    double seconds = Seconds([&] {
      git_packbuilder_insert_walk(packer, walk);
      git_packbuilder_write(packer, nullptr, 0, nullptr, nullptr);
    });
    git_revwalk_free(walk);
    git_packbuilder_free(packer);
    // As `git prune-packed` would: readers then find every object in the pack.
    for (const auto& entry : std::filesystem::directory_iterator(dir_ + "/ledger/objects")) {
      std::string name = entry.path().filename().string();
      if (name.size() == 2 && name != "pa") std::filesystem::remove_all(entry.path());
    }
    std::printf("disk     %.1f MiB loose; packed in %.1f s (%.1f MiB pack; the walk below reads the pack)\n",
                static_cast<double>(loose) / (1 << 20), seconds,
                static_cast<double>(DiskBytes(dir_ + "/ledger/objects/pack")) / (1 << 20));
  }

  uint64_t count() const { return count_; }

 private:
  std::string dir_;
  MinisignSecretKey key_ = MinisignSecretKey::Generate();
  TrustFile trust_;
  std::unique_ptr<LedgerStore> ledger_;
  std::unique_ptr<LedgerIndex> index_;
  uint64_t count_ = 0;
};

}  // namespace
}  // namespace assay

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_ledger DIR [RECORDS]\n");
    return 2;
  }
  const uint64_t records = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100000;
  assay::Bench bench(argv[1]);
  bench.GrowTo(1000);
  bench.Report("at 1000");
  double seconds = assay::Seconds([&] { bench.GrowTo(records); });
  std::printf("built    %llu records in %.0f s\n", static_cast<unsigned long long>(bench.count()), seconds);
  bench.Report(("at " + std::to_string(bench.count())).c_str());
  bench.Queries();
  bench.Pack();
  bench.Verify();
  return 0;
}
