#include "digest/sha256.h"

#include <gtest/gtest.h>

namespace assay {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(ToHex(Sha256::Of(std::string_view())),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256::Of(std::string_view("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, StreamingEqualsOneShot) {
  std::string data(100000, 'x');
  Sha256 hasher;
  hasher.Update(std::string_view(data).substr(0, 777));
  hasher.Update(std::string_view(data).substr(777));
  EXPECT_EQ(hasher.Finish(), Sha256::Of(data));
}

TEST(Sha256, HexRoundTripAndRejects) {
  Sha256Digest digest = Sha256::Of(std::string_view("abc"));
  EXPECT_EQ(Sha256FromHex(ToHex(digest)), digest);
  EXPECT_FALSE(Sha256FromHex("abc").has_value());
  EXPECT_FALSE(Sha256FromHex(std::string(64, 'g')).has_value());
}

}  // namespace
}  // namespace assay
