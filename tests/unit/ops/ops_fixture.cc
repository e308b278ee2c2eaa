#include "ops_fixture.h"

#include "ledger/ledger.h"
#include "sign/minisign_key.h"

namespace assay::testing {
namespace {

class CountingSink final : public ProgressSink {
 public:
  explicit CountingSink(uint64_t& total) : total_(total) {}
  void SetTotal(uint64_t bytes) override { total_ = bytes; }
  void AddHashedBytes(uint64_t /*bytes*/) override {}

 private:
  uint64_t& total_;
};

}  // namespace

std::unique_ptr<ProgressSink> RecordingOutput::Progress(std::string_view /*what*/, uint64_t total) {
  progress_total = total;
  return std::make_unique<CountingSink>(progress_total);
}

OpsFixture::OpsFixture() {
  const std::string root = dir_.path().string();
  keys_ = std::make_unique<MinisignKeyFiles>(LocalFileSystem(), PassphraseSources{});
  Paths paths;
  paths.config_dir = root + "/config";
  paths.cache_dir = root + "/cache";
  paths.ledger = root + "/ledger";
  paths.trust_file = root + "/config/trust";
  paths.key_file = root + "/config/nobody.key";
  context_ = std::make_unique<Context>(Context{paths, LocalFileSystem(), clock_, *keys_, output_});
}

std::string OpsFixture::AddParty(const std::string& name, std::set<TrustRole> roles) {
  const std::string path = context_->paths.config_dir + "/" + name + ".key";
  MinisignSecretKey key = MinisignSecretKey::Generate();
  Result<SecretBytes> text = EncodeMinisignSecretKeyFile(key, std::nullopt);
  EXPECT_TRUE(text.ok());
  const std::string bytes = text->Read([](std::span<const uint8_t> b) { return std::string(b.begin(), b.end()); });
  EXPECT_TRUE(LocalFileSystem().CreateDirectories(context_->paths.config_dir).ok());
  EXPECT_TRUE(LocalFileSystem().WriteFileAtomically(path, bytes, 0600).ok());
  Result<TrustFile> trust = TrustFile::Load(LocalFileSystem(), context_->paths.trust_file);
  EXPECT_TRUE(trust.ok());
  EXPECT_TRUE(trust->Add(TrustEntry{name, std::move(roles), key.public_key(), std::nullopt, std::nullopt}).ok());
  EXPECT_TRUE(LocalFileSystem().WriteFileAtomically(context_->paths.trust_file, trust->Serialize()).ok());
  return path;
}

void OpsFixture::SignAs(const std::string& name) {
  context_->paths.key_file = context_->paths.config_dir + "/" + name + ".key";
}

void OpsFixture::CreateLedger() {
  std::vector<std::string> repairs;
  ASSERT_TRUE(Ledger::Create(LedgerLocation{context_->paths.ledger, false, context_->paths.cache_dir}, &repairs).ok());
}

}  // namespace assay::testing
