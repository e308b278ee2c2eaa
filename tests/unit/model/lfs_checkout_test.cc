#include "model/lfs_checkout.h"

#include <gtest/gtest.h>

#include "formats/lfs_pointer.h"
#include "test_support.h"

namespace assay {
namespace {

std::string PointerTo(std::string_view content) {
  LfsPointer pointer;
  pointer.version = std::string(kLfsSpecV1);
  pointer.oid = Sha256::Of(content);
  pointer.size = content.size();
  return FormatLfsPointer(pointer);
}

FileRecord Recorded(std::string path, std::string_view content) {
  FileRecord file;
  file.path = std::move(path);
  file.size = content.size();
  file.sha256 = Sha256::Of(content);
  file.format = WeightFormatOfPath(file.path);
  return file;
}

// The record of a model whose checkout the tests make: two weight shards, a
// config and a README.
ModelManifest Record() {
  ModelManifest record;
  record.files = {Recorded("README.md", "# tiny\n"), Recorded("config.json", "{\"hidden_size\": 64}\n"),
                  Recorded("model-00001-of-00002.safetensors", "shard one bytes"),
                  Recorded("model-00002-of-00002.safetensors", "shard two bytes")};
  return record;
}

// A clone made with GIT_LFS_SKIP_SMUDGE=1: pointers for the shards, real small files.
void WriteCheckout(const testing::ScratchDir& dir) {
  dir.Write("README.md", "# tiny\n");
  dir.Write("config.json", "{\"hidden_size\": 64}\n");
  dir.Write("model-00001-of-00002.safetensors", PointerTo("shard one bytes"));
  dir.Write("model-00002-of-00002.safetensors", PointerTo("shard two bytes"));
  dir.Write(".git/HEAD", "ref: refs/heads/main\n");
}

TEST(LfsCheckout, ReadsPointersAndRealFiles) {
  testing::ScratchDir dir;
  WriteCheckout(dir);
  Result<LfsCheckout> checkout = ReadLfsCheckout(LocalFileSystem(), dir.path().string());
  ASSERT_TRUE(checkout.ok()) << checkout.status().message();
  ASSERT_EQ(checkout->files.size(), 4u);
  EXPECT_EQ(checkout->PointerCount(), 2u);
  EXPECT_EQ(checkout->files[0].path, "README.md");
  EXPECT_FALSE(checkout->files[0].pointer);
  EXPECT_EQ(checkout->files[0].sha256, Sha256::Of("# tiny\n"));
  EXPECT_TRUE(checkout->files[2].pointer);
  EXPECT_EQ(checkout->files[2].sha256, Sha256::Of("shard one bytes"));
  EXPECT_EQ(checkout->files[2].size, 15u);
  ASSERT_EQ(checkout->skipped.size(), 1u);
  EXPECT_EQ(checkout->skipped[0].relative_path, ".git");

  ModelManifest manifest = ManifestOfCheckout(*checkout);
  EXPECT_FALSE(manifest.has_tensor_digests);
  EXPECT_TRUE(manifest.weights_roots.empty());
  EXPECT_EQ(manifest.files[2].format, WeightFormat::kSafetensors);
  EXPECT_TRUE(manifest.files[2].tensors.empty());
}

TEST(LfsCheckout, DetectsAPointerCheckout) {
  testing::ScratchDir checkout, model;
  WriteCheckout(checkout);
  model.Write("config.json", "{}");
  model.Write("VERSION", "version 1.2.3\n");
  for (auto [dir, expected] : {std::pair{&checkout, true}, std::pair{&model, false}}) {
    Result<FolderListing> listing = ListModelFolder(LocalFileSystem(), dir->path().string());
    ASSERT_TRUE(listing.ok());
    Result<bool> holds = HoldsLfsPointers(LocalFileSystem(), *listing);
    ASSERT_TRUE(holds.ok());
    EXPECT_EQ(*holds, expected);
  }
}

TEST(LfsCheckout, MatchingCheckoutAudit) {
  testing::ScratchDir dir;
  WriteCheckout(dir);
  Result<LfsCheckout> checkout = ReadLfsCheckout(LocalFileSystem(), dir.path().string());
  ASSERT_TRUE(checkout.ok());
  LfsAudit audit = AuditLfsCheckout(*checkout, Record());
  EXPECT_EQ(audit.files.size(), 4u);
  EXPECT_EQ(audit.Count(LfsFileState::kSame), 4u);
  EXPECT_FALSE(audit.ModelChanged());
}

TEST(LfsCheckout, EveryKindOfDifference) {
  testing::ScratchDir dir;
  WriteCheckout(dir);
  dir.Write("README.md", "# tiny, now with a model card\n");
  dir.Write("model-00002-of-00002.safetensors", PointerTo("shard two, re-uploaded"));
  std::filesystem::remove(dir.path() / "model-00001-of-00002.safetensors");
  dir.Write("model-00003-of-00003.safetensors", PointerTo("a new shard"));
  // A pointer that keeps the recorded oid but states another size.
  LfsPointer liar;
  liar.version = std::string(kLfsSpecV1);
  liar.oid = Sha256::Of("{\"hidden_size\": 64}\n");
  liar.size = 5;
  dir.Write("config.json", FormatLfsPointer(liar));

  Result<LfsCheckout> checkout = ReadLfsCheckout(LocalFileSystem(), dir.path().string());
  ASSERT_TRUE(checkout.ok()) << checkout.status().message();
  LfsAudit audit = AuditLfsCheckout(*checkout, Record());
  std::vector<std::string> states;
  for (const LfsFileCheck& file : audit.files) {
    states.push_back(file.path + ": " + std::string(LfsFileStateName(file.state)) + (file.changes_model ? " !" : ""));
  }
  EXPECT_EQ(states, (std::vector<std::string>{"README.md: changed", "config.json: size differs !",
                                              "model-00001-of-00002.safetensors: removed !",
                                              "model-00002-of-00002.safetensors: changed !",
                                              "model-00003-of-00003.safetensors: added !"}));
  EXPECT_TRUE(audit.ModelChanged());
  EXPECT_EQ(audit.files[1].checkout_size, 5u);
  EXPECT_EQ(audit.files[1].record_size, 20u);
}

TEST(LfsCheckout, OnlyADocumentChanged) {
  testing::ScratchDir dir;
  WriteCheckout(dir);
  dir.Write("README.md", "# tiny, now with a model card\n");
  Result<LfsCheckout> checkout = ReadLfsCheckout(LocalFileSystem(), dir.path().string());
  ASSERT_TRUE(checkout.ok());
  LfsAudit audit = AuditLfsCheckout(*checkout, Record());
  EXPECT_EQ(audit.Count(LfsFileState::kChanged), 1u);
  EXPECT_FALSE(audit.ModelChanged());
}

TEST(LfsCheckout, ChangesTheModel) {
  EXPECT_TRUE(ChangesTheModel("model.safetensors"));
  EXPECT_TRUE(ChangesTheModel("gguf/model-Q4_K_M.gguf"));
  EXPECT_TRUE(ChangesTheModel("pytorch_model.bin"));
  EXPECT_TRUE(ChangesTheModel("model.safetensors.index.json"));
  EXPECT_TRUE(ChangesTheModel("config.json"));
  EXPECT_TRUE(ChangesTheModel("tokenizer.json"));
  EXPECT_FALSE(ChangesTheModel("README.md"));
  EXPECT_FALSE(ChangesTheModel(".gitattributes"));
  EXPECT_FALSE(ChangesTheModel("LICENSE"));
}

// Pointer garbage: each refused as invalid input, naming the file.
void ExpectRefused(std::string_view bytes, std::string_view reason) {
  testing::ScratchDir dir;
  WriteCheckout(dir);
  const std::string path = dir.Write("model-00001-of-00002.safetensors", bytes);
  Result<LfsCheckout> checkout = ReadLfsCheckout(LocalFileSystem(), dir.path().string());
  ASSERT_FALSE(checkout.ok()) << reason;
  EXPECT_EQ(checkout.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(checkout.status().message(), path + ": " + std::string(reason));
}

TEST(LfsCheckout, GarbagePointers) {
  const std::string good = PointerTo("shard one bytes");
  auto replace = [&good](std::string_view from, std::string_view to) {
    std::string text = good;
    return text.replace(text.find(from), from.size(), to);
  };
  ExpectRefused(replace("spec/v1", "spec/v2"), "line 1: unknown pointer version \"https://git-lfs.github.com/spec/v2\"");
  std::string upper = good;
  for (size_t i = good.find("sha256:") + 7; i < good.find("\nsize"); ++i) {
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  }
  ExpectRefused(upper, "line 2: oid must be sha256: and 64 lowercase hex digits");
  ExpectRefused(good.substr(0, good.find("size")), "no size line");
  std::string crlf;
  for (char c : good) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  ExpectRefused(crlf, "line 1: carriage return: pointer lines end in a line feed alone");
  ExpectRefused(good + std::string(4096, '#'),
                "starts like a git-lfs pointer but is " + std::to_string(good.size() + 4096) +
                    " bytes, more than a pointer's 1024");
  std::string binary = good;
  binary[good.find("oid") + 1] = '\x01';
  ExpectRefused(binary, "line 2: byte 0x01 is not text: not a git-lfs pointer");
}

TEST(LfsCheckout, BinaryFilesThatDoNotClaimToBePointersAreContent) {
  testing::ScratchDir dir;
  WriteCheckout(dir);
  const std::string weights("\x08\0\0\0\0\0\0\0{}      ", 16);
  dir.Write("model-00001-of-00002.safetensors", weights);
  Result<LfsCheckout> checkout = ReadLfsCheckout(LocalFileSystem(), dir.path().string());
  ASSERT_TRUE(checkout.ok()) << checkout.status().message();
  EXPECT_FALSE(checkout->files[2].pointer);
  EXPECT_EQ(checkout->files[2].sha256, Sha256::Of(weights));
  EXPECT_EQ(checkout->PointerCount(), 1u);  // a partly smudged checkout reads as it is
}

}  // namespace
}  // namespace assay
