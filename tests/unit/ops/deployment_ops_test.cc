#include "ops/deployment_ops.h"

#include <gtest/gtest.h>

#include "utc_time.h"

namespace assay {
namespace {

JudgedDeployment Served(const std::string& record, const std::string& from, const std::string& ended,
                        const std::string& problem = "") {
  JudgedDeployment one;
  one.record = record;
  one.deployment.from = from;
  one.ended = ended;
  one.problem = problem;
  return one;
}

int64_t At(const char* time) { return *ParseIsoTime(time); }

TEST(DeploymentOps, TheDeploymentServingAtATimeIsTheCountingOneWhoseSpanHoldsIt) {
  const std::vector<JudgedDeployment> deployments = {
      Served("first", "2026-12-01T16:00:00Z", "2026-12-02T00:00:00Z"),
      Served("second", "2026-12-02T00:00:00Z", ""),
      Served("impostor", "2026-12-02T12:00:00Z", "", "signed by other-cloud, not by acme-cloud"),
  };
  EXPECT_EQ(ServingAt(deployments, At("2026-12-01T15:59:59Z")), nullptr);
  EXPECT_EQ(ServingAt(deployments, At("2026-12-01T16:00:00Z"))->record, "first");
  EXPECT_EQ(ServingAt(deployments, At("2026-12-01T23:59:59Z"))->record, "first");
  // The end is the next one's start: that instant belongs to the next.
  EXPECT_EQ(ServingAt(deployments, At("2026-12-02T00:00:00Z"))->record, "second");
  // One that does not count never serves, whatever its times.
  EXPECT_EQ(ServingAt(deployments, At("2026-12-03T00:00:00Z"))->record, "second");
  EXPECT_EQ(ServingAt({deployments[2]}, At("2026-12-03T00:00:00Z")), nullptr);
}

}  // namespace
}  // namespace assay
