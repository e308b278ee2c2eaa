#include "sign/secret_bytes.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "sign/bytes.h"
#include "sign/ed25519_key.h"

namespace assay {
namespace {

TEST(SecretBytes, StartsZeroAndKeepsWhatIsWritten) {
  SecretBytes secret(5);
  EXPECT_EQ(secret.size(), 5u);
  secret.Read([](std::span<const uint8_t> bytes) {
    for (uint8_t byte : bytes) EXPECT_EQ(byte, 0);
  });
  secret.Write([](std::span<uint8_t> bytes) { std::memcpy(bytes.data(), "hello", 5); });
  std::string copy =
      secret.Read([](std::span<const uint8_t> bytes) { return std::string(AsText(bytes)); });
  EXPECT_EQ(copy, "hello");
}

TEST(SecretBytes, CopyOfAndMove) {
  SecretBytes original = SecretBytes::CopyOf(AsBytes("abc"));
  SecretBytes moved(std::move(original));
  EXPECT_EQ(moved.size(), 3u);
  SecretBytes assigned(1);
  assigned = std::move(moved);
  EXPECT_EQ(
      assigned.Read([](std::span<const uint8_t> bytes) { return std::string(AsText(bytes)); }),
      "abc");
  SecretBytes empty(0);
  EXPECT_EQ(empty.size(), 0u);
}

// Outside Read and Write the pages are PROT_NONE: touching them kills the process.
TEST(SecretBytesDeathTest, InaccessibleOutsideAccess) {
  SecretBytes secret(32);
  const uint8_t* escaped = secret.Read([](std::span<const uint8_t> bytes) { return bytes.data(); });
  EXPECT_DEATH(
      {
        volatile uint8_t byte = *escaped;
        (void)byte;
      },
      "");
}

TEST(SecretBytes, OneKeySignsFromSeveralThreads) {
  std::array<uint8_t, 32> seed{};
  seed.fill(7);
  Ed25519SecretKey key = Ed25519SecretKey::FromSeed(seed);
  Ed25519Signature expected = key.Sign(std::string_view("message"));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (key.Sign(std::string_view("message")) != expected) ++mismatches;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace assay
