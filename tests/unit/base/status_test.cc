#include "status.h"

#include <gtest/gtest.h>

namespace assay {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Status::InvalidInput("odd number");
  return n / 2;
}

Result<int> Quarter(int n) {
  ASSAY_ASSIGN_OR_RETURN(int half, Half(n));
  return Half(half);
}

TEST(Status, CarriesKindAndContext) {
  Status status = Status::IoError("permission denied").WithContext("model/a.bin");
  EXPECT_EQ(status.kind(), ErrorKind::kIo);
  EXPECT_EQ(status.message(), "model/a.bin: permission denied");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(Result, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> odd = Quarter(6);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(odd.status().message(), "odd number");
}

}  // namespace
}  // namespace assay
