// A Context for tests of the operations (src/ops): a scratch folder holding
// the config, cache and ledger, the real disk under it, a fixed clock, a key
// ring that never prompts, and an output that records what was said.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ops/context.h"
#include "sign/minisign_secret_key.h"
#include "sign/trust_file.h"
#include "test_support.h"

namespace assay::testing {

// Warnings kept in order; progress counted and dropped.
class RecordingOutput final : public Output {
 public:
  void Warn(const std::string& message) override { warnings.push_back(message); }
  std::unique_ptr<ProgressSink> Progress(std::string_view what, uint64_t total) override;

  std::vector<std::string> warnings;
  uint64_t progress_total = 0;  // the last total a sink was told
};

class OpsFixture : public ::testing::Test {
 protected:
  OpsFixture();

  // An unencrypted key at config/NAME.key (and .pub) in the trust file as
  // NAME with `roles`; returns the key's path.
  std::string AddParty(const std::string& name, std::set<TrustRole> roles);
  // Makes `name`'s key the context's signing key.
  void SignAs(const std::string& name);
  // The ledger the context names, created.
  void CreateLedger();

  ScratchDir dir_;
  FixedClock clock_{1'790'000'000'000'000'000};  // 2026-09-21
  RecordingOutput output_;
  std::unique_ptr<KeyRing> keys_;
  std::unique_ptr<Context> context_;
};

}  // namespace assay::testing
