#include "formats/safetensors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "file_system.h"
#include "memory_file_system.h"
#include "test_support.h"

namespace assay {
namespace {

using ::assay::testing::AppendU64LE;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Opens `bytes` as model.safetensors on `fs`, which counts how far anyone read.
std::unique_ptr<RandomAccessFile> OpenSafetensors(testing::MemoryFileSystem& fs, std::string_view bytes) {
  fs.AddFile("model.safetensors", bytes);
  return std::move(fs.OpenForRead("model.safetensors")).value();
}

// One header member: "name":{"dtype":..,"shape":..,"data_offsets":[begin,end]}.
std::string Entry(std::string_view name, std::string_view dtype, std::string_view shape,
                  uint64_t begin, uint64_t end) {
  return "\"" + std::string(name) + "\":{\"dtype\":\"" + std::string(dtype) +
         "\",\"shape\":" + std::string(shape) + ",\"data_offsets\":[" + std::to_string(begin) +
         "," + std::to_string(end) + "]}";
}

// A file laid out as the reference writes one: the length prefix, the header
// padded with spaces to a multiple of 8, then the data area.
std::string SafetensorsFile(std::string header, std::string_view data) {
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string bytes;
  AppendU64LE(bytes, header.size());
  return bytes + header + std::string(data);
}

Result<SafetensorsHeader> Read(const std::string& bytes) {
  testing::MemoryFileSystem fs;
  return ReadSafetensorsHeader(*OpenSafetensors(fs, bytes));
}

// The message of a rejection, which must be kInvalidInput and name the file.
std::string RejectionOf(const std::string& bytes) {
  Result<SafetensorsHeader> header = Read(bytes);
  EXPECT_FALSE(header.ok());
  EXPECT_EQ(header.status().kind(), ErrorKind::kInvalidInput) << header.status().message();
  EXPECT_THAT(header.status().message(), StartsWith("model.safetensors: "));
  return header.status().message();
}

std::string Bytes(size_t n) { return std::string(n, '\x5a'); }

TEST(SafetensorsHeader, ReadsTensorsOfSeveralDtypesInOffsetOrder) {
  // Header order is not offset order; the F4 tensor packs 6 elements in 3 bytes.
  std::string header =
      "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"x\"}," +
      Entry("w.f4", "F4", "[2,3]", 22, 25) + "," + Entry("w.f32", "F32", "[2,2]", 0, 16) + "," +
      Entry("b.bf16", "BF16", "[3]", 16, 22) + "," + Entry("scalar", "U8", "[]", 25, 26) + "," +
      Entry("empty", "I64", "[0,5]", 26, 26) + "}";
  std::string bytes = SafetensorsFile(header, Bytes(26));
  testing::MemoryFileSystem fs;
  Result<SafetensorsHeader> parsed = ReadSafetensorsHeader(*OpenSafetensors(fs, bytes));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();

  const uint64_t data_start = 8 + (header.size() + 7) / 8 * 8;
  EXPECT_EQ(parsed->header_length, data_start - 8);
  EXPECT_EQ(parsed->data_start, data_start);
  EXPECT_EQ(parsed->metadata,
            (std::map<std::string, std::string>{{"format", "pt"}, {"note", "x"}}));
  ASSERT_EQ(parsed->tensors.size(), 5u);
  const auto expect = [&](size_t i, std::string name, std::string dtype,
                          std::vector<uint64_t> shape, uint64_t begin, uint64_t size) {
    const TensorEntry& tensor = parsed->tensors[i];
    EXPECT_EQ(tensor.name, name);
    EXPECT_EQ(tensor.dtype, dtype);
    EXPECT_EQ(tensor.shape, shape);
    EXPECT_EQ(tensor.offset, data_start + begin) << name;
    EXPECT_EQ(tensor.size, size) << name;
  };
  expect(0, "w.f32", "F32", {2, 2}, 0, 16);
  expect(1, "b.bf16", "BF16", {3}, 16, 6);
  expect(2, "w.f4", "F4", {2, 3}, 22, 3);
  expect(3, "scalar", "U8", {}, 25, 1);
  expect(4, "empty", "I64", {0, 5}, 26, 0);
  // Only the prefix and the header were read, never tensor bytes.
  EXPECT_EQ(fs.StatsOf("model.safetensors").read_to, data_start);
}

TEST(SafetensorsHeader, HeaderKeyOrderDoesNotMatter) {
  std::string a = SafetensorsFile(
      "{" + Entry("a", "F16", "[2]", 0, 4) + "," + Entry("b", "I8", "[4]", 4, 8) + "}", Bytes(8));
  std::string b = SafetensorsFile(
      "{\"b\":{\"data_offsets\":[4,8],\"shape\":[4],\"dtype\":\"I8\"},"
      "\"a\":{\"shape\":[2],\"data_offsets\":[0,4],\"dtype\":\"F16\"}}",
      Bytes(8));
  Result<SafetensorsHeader> first = Read(a);
  Result<SafetensorsHeader> second = Read(b);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(second.ok()) << second.status().message();
  ASSERT_EQ(first->tensors.size(), second->tensors.size());
  for (size_t i = 0; i < first->tensors.size(); ++i) {
    const TensorEntry& x = first->tensors[i];
    const TensorEntry& y = second->tensors[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.dtype, y.dtype);
    EXPECT_EQ(x.shape, y.shape);
    EXPECT_EQ(x.offset - first->data_start, y.offset - second->data_start);
    EXPECT_EQ(x.size, y.size);
  }
}

TEST(SafetensorsHeader, AcceptsAnEmptyFileOfNoTensors) {
  // The reference serializes an empty dict as "{}" padded to 8 bytes.
  Result<SafetensorsHeader> parsed = Read(SafetensorsFile("{}", ""));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->tensors.empty());
  EXPECT_EQ(parsed->data_start, 16u);
}

TEST(SafetensorsHeader, TakesNullMetadataForNone) {
  // MLX's save_safetensors writes this, unpadded, when it has no metadata.
  std::string header = "{\"__metadata__\":null," + Entry("a", "U8", "[1]", 0, 1) + "}";
  std::string bytes;
  AppendU64LE(bytes, header.size());
  Result<SafetensorsHeader> parsed = Read(bytes + header + "z");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->metadata.empty());
  EXPECT_EQ(parsed->tensors.size(), 1u);
}

TEST(SafetensorsHeader, AcceptsUnpaddedAndSpacePaddedHeaders) {
  std::string header = "{" + Entry("a", "U8", "[3]", 0, 3) + "}";
  for (std::string padding : {"", " ", "        ", "             "}) {
    std::string bytes;
    AppendU64LE(bytes, header.size() + padding.size());
    bytes += header + padding + "abc";
    Result<SafetensorsHeader> parsed = Read(bytes);
    EXPECT_TRUE(parsed.ok()) << "padding " << padding.size() << ": " << parsed.status().message();
  }
}

TEST(SafetensorsDtype, KnowsEveryReferenceDtype) {
  const std::pair<const char*, uint32_t> expected[] = {
      {"BOOL", 8}, {"F4", 4},      {"F6_E2M3", 6}, {"F6_E3M2", 6}, {"U8", 8},
      {"I8", 8},   {"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"I16", 16},
      {"U16", 16}, {"F16", 16},    {"BF16", 16},   {"I32", 32},    {"U32", 32},
      {"F32", 32}, {"C64", 64},    {"F64", 64},    {"I64", 64},    {"U64", 64},
  };
  for (const auto& [name, bits] : expected) {
    std::optional<SafetensorsDtype> dtype = FindSafetensorsDtype(name);
    ASSERT_TRUE(dtype.has_value()) << name;
    EXPECT_EQ(dtype->name, name);
    EXPECT_EQ(dtype->bits, bits) << name;
  }
  // The reference's serde names have no aliases: PyTorch's float8_e4m3fn is
  // written "F8_E4M3", and names are case-sensitive.
  EXPECT_FALSE(FindSafetensorsDtype("F8_E4M3FN").has_value());
  EXPECT_FALSE(FindSafetensorsDtype("f32").has_value());
  EXPECT_FALSE(FindSafetensorsDtype("").has_value());
}

TEST(SafetensorsHeader, SixBitTensorsMustFillWholeBytes) {
  EXPECT_TRUE(Read(SafetensorsFile("{" + Entry("a", "F6_E2M3", "[4]", 0, 3) + "}", Bytes(3))).ok());
  EXPECT_THAT(
      RejectionOf(SafetensorsFile("{" + Entry("a", "F6_E3M2", "[3]", 0, 2) + "}", Bytes(2))),
      HasSubstr("tensor 'a' is F6_E3M2 with 3 elements, which do not fill whole bytes"));
  EXPECT_THAT(RejectionOf(SafetensorsFile("{" + Entry("a", "F4", "[3]", 0, 2) + "}", Bytes(2))),
              HasSubstr("which do not fill whole bytes"));
}

// --- rejections, one reason each ---

TEST(SafetensorsRejects, FileShorterThanTheLengthPrefix) {
  EXPECT_THAT(RejectionOf(""),
              HasSubstr("file size 0 is smaller than the 8-byte header length prefix"));
  EXPECT_THAT(RejectionOf(std::string("\x10\0\0\0\0", 5)),
              HasSubstr("file size 5 is smaller than the 8-byte header length prefix"));
}

TEST(SafetensorsRejects, FileShorterThanItsHeader) {
  std::string bytes = SafetensorsFile("{" + Entry("a", "U8", "[4]", 0, 4) + "}", Bytes(4));
  std::string truncated = bytes.substr(0, 30);
  EXPECT_THAT(
      RejectionOf(truncated),
      HasSubstr("header length " + std::to_string(bytes.size() - 12) + " exceeds file size 30"));
}

TEST(SafetensorsRejects, HeaderLengthLargerThanTheFile) {
  std::string bytes;
  AppendU64LE(bytes, 1000);
  bytes += "{}      ";
  EXPECT_THAT(RejectionOf(bytes), HasSubstr("header length 1000 exceeds file size 16"));
  // The length counts from byte 8: a header that would end one byte past the file.
  bytes.clear();
  AppendU64LE(bytes, 9);
  bytes += "{}      ";
  EXPECT_THAT(RejectionOf(bytes), HasSubstr("header length 9 exceeds file size 16"));
}

TEST(SafetensorsRejects, HeaderLengthOverTheLimit) {
  for (uint64_t length : {uint64_t{100'000'001}, ~uint64_t{0}}) {
    std::string bytes;
    AppendU64LE(bytes, length);
    bytes += "{}";
    EXPECT_THAT(RejectionOf(bytes), HasSubstr("header length " + std::to_string(length) +
                                              " exceeds the limit of 100000000 bytes"));
  }
}

TEST(SafetensorsRejects, HeaderThatIsNotJson) {
  EXPECT_THAT(RejectionOf(SafetensorsFile("{\"a\": nope}", "")), HasSubstr("header: invalid JSON"));
  EXPECT_THAT(RejectionOf(SafetensorsFile("{\"a\":{}", "")), HasSubstr("header: invalid JSON"));
  // Ill-formed UTF-8 (RFC 3629) in a name: a stray byte, an overlong form, an
  // encoded surrogate, and an escaped lone surrogate. Names end up in signed JSON.
  for (std::string name : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\\ud800"}) {
    EXPECT_THAT(RejectionOf(SafetensorsFile("{\"" + name + "\":{}}", "")),
                HasSubstr("header: invalid JSON"))
        << name;
  }
  // Two values.
  EXPECT_THAT(RejectionOf(SafetensorsFile("{}{}", "")), HasSubstr("header: invalid JSON"));
}

TEST(SafetensorsRejects, HeaderThatIsNotAJsonObject) {
  for (std::string header : {"[1,2]", "\"text\"", "null", " {}", "\n{}", ""}) {
    EXPECT_THAT(RejectionOf(SafetensorsFile(header, "")),
                HasSubstr("header is not a JSON object (it must begin with '{')"))
        << header;
  }
}

TEST(SafetensorsRejects, PaddingOtherThanSpaces) {
  for (std::string padding : {"\n", "\t   ", "  \r\n"}) {
    std::string header = "{}" + padding;
    std::string bytes;
    AppendU64LE(bytes, header.size());
    EXPECT_THAT(RejectionOf(bytes + header),
                HasSubstr("padding after the JSON object is not all spaces"));
  }
}

TEST(SafetensorsRejects, NulBytes) {
  // nlohmann's lexer stops at a NUL: without a check, the tensor after it would be ignored.
  std::string header = "{}" + std::string(1, '\0') + "{" + Entry("hidden", "U8", "[1]", 0, 1) + "}";
  EXPECT_THAT(RejectionOf(SafetensorsFile(header, Bytes(1))),
              HasSubstr("header: invalid JSON: NUL byte at offset 2"));
  std::string bytes;
  AppendU64LE(bytes, 8);
  EXPECT_THAT(RejectionOf(bytes + "{}" + std::string(6, '\0')), HasSubstr("NUL byte at offset 2"));
}

TEST(SafetensorsRejects, OffsetsOutOfRange) {
  EXPECT_THAT(
      RejectionOf(SafetensorsFile("{" + Entry("a", "F32", "[4]", 0, 16) + "}", Bytes(8))),
      HasSubstr("tensor 'a' has data_offsets [0, 16] out of range: the data area holds 8 bytes"));
  EXPECT_THAT(RejectionOf(SafetensorsFile(
                  "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[18446744073709551615,"
                  "18446744073709551615]}}",
                  Bytes(1))),
              HasSubstr("out of range"));
}

TEST(SafetensorsRejects, OffsetsThatEndBeforeTheyBegin) {
  EXPECT_THAT(RejectionOf(SafetensorsFile("{" + Entry("a", "U8", "[0]", 4, 0) + "}", Bytes(4))),
              HasSubstr("tensor 'a' has data_offsets [4, 0] that end before they begin"));
}

TEST(SafetensorsRejects, OverlappingTensors) {
  EXPECT_THAT(RejectionOf(SafetensorsFile(
                  "{" + Entry("a", "U8", "[8]", 0, 8) + "," + Entry("b", "U8", "[4]", 4, 8) + "}",
                  Bytes(8))),
              HasSubstr("tensors 'a' and 'b' overlap"));
  // An empty tensor inside another one overlaps too (the reference rejects it).
  EXPECT_THAT(RejectionOf(SafetensorsFile(
                  "{" + Entry("a", "U8", "[8]", 0, 8) + "," + Entry("e", "U8", "[0]", 4, 4) + "}",
                  Bytes(8))),
              HasSubstr("tensors 'a' and 'e' overlap"));
}

TEST(SafetensorsRejects, GapBetweenTensors) {
  EXPECT_THAT(RejectionOf(SafetensorsFile(
                  "{" + Entry("a", "U8", "[4]", 0, 4) + "," + Entry("b", "U8", "[4]", 6, 10) + "}",
                  Bytes(10))),
              HasSubstr("gap before tensor 'b': data bytes [4, 6) belong to no tensor"));
  // The first tensor must begin at 0.
  EXPECT_THAT(RejectionOf(SafetensorsFile("{" + Entry("a", "U8", "[4]", 2, 6) + "}", Bytes(6))),
              HasSubstr("gap before tensor 'a': data bytes [0, 2)"));
}

TEST(SafetensorsRejects, TrailingBytesAfterTheLastTensor) {
  // The reference rejects these too (MetadataIncompleteBuffer).
  EXPECT_THAT(
      RejectionOf(SafetensorsFile("{" + Entry("a", "U8", "[4]", 0, 4) + "}", Bytes(7))),
      HasSubstr("trailing bytes after the last tensor: data bytes [4, 7) belong to no tensor"));
  EXPECT_THAT(RejectionOf(SafetensorsFile("{}", Bytes(1))), HasSubstr("trailing bytes"));
}

TEST(SafetensorsRejects, SizeThatDisagreesWithShapeAndDtype) {
  EXPECT_THAT(
      RejectionOf(SafetensorsFile("{" + Entry("w", "F32", "[2,2]", 0, 12) + "}", Bytes(12))),
      HasSubstr("tensor 'w' is F32 [2,2], which needs 16 bytes, but data_offsets [0, 12] hold 12"));
}

TEST(SafetensorsRejects, ShapeWhoseProductOverflows) {
  EXPECT_THAT(
      RejectionOf(
          SafetensorsFile("{" + Entry("w", "U8", "[4294967296,4294967296]", 0, 0) + "}", "")),
      HasSubstr(
          "tensor 'w' has shape [4294967296,4294967296] whose element count overflows 64 bits"));
  // The element count fits, its size in bits does not.
  EXPECT_THAT(RejectionOf(SafetensorsFile(
                  "{" + Entry("w", "F64", "[1152921504606846976]", 0, 0) + "}", "")),
              HasSubstr("whose size in bits overflows 64 bits"));
}

TEST(SafetensorsRejects, DuplicateTensorNames) {
  EXPECT_THAT(RejectionOf(SafetensorsFile(
                  "{" + Entry("a", "U8", "[4]", 0, 4) + "," + Entry("a", "U8", "[4]", 4, 8) + "}",
                  Bytes(8))),
              HasSubstr("header: duplicate key 'a'"));
}

TEST(SafetensorsRejects, DuplicateKeysInsideATensorOrMetadata) {
  EXPECT_THAT(
      RejectionOf(SafetensorsFile(
          "{\"a\":{\"dtype\":\"U8\",\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
          Bytes(1))),
      HasSubstr("duplicate key 'dtype' in 'a'"));
  EXPECT_THAT(RejectionOf(SafetensorsFile("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", "")),
              HasSubstr("duplicate key 'k' in '__metadata__'"));
  EXPECT_THAT(RejectionOf(SafetensorsFile("{\"__metadata__\":{},\"__metadata__\":{}}", "")),
              HasSubstr("duplicate key '__metadata__'"));
}

TEST(SafetensorsRejects, UnknownDtype) {
  for (std::string dtype : {"F7", "F8_E4M3FN", "f32", "Q4_K"}) {
    EXPECT_THAT(
        RejectionOf(SafetensorsFile("{" + Entry("layer.0", dtype, "[1]", 0, 1) + "}", Bytes(1))),
        HasSubstr("tensor 'layer.0' has unknown dtype '" + dtype + "'"));
  }
}

TEST(SafetensorsRejects, BadMetadata) {
  EXPECT_THAT(RejectionOf(SafetensorsFile("{\"__metadata__\":[\"x\"]}", "")),
              HasSubstr("__metadata__ is not a JSON object"));
  EXPECT_THAT(RejectionOf(SafetensorsFile("{\"__metadata__\":\"pt\"}", "")),
              HasSubstr("__metadata__ is not a JSON object"));
  EXPECT_THAT(RejectionOf(SafetensorsFile("{\"__metadata__\":{\"step\":3}}", "")),
              HasSubstr("__metadata__ value for 'step' is not a string"));
  EXPECT_THAT(RejectionOf(SafetensorsFile("{\"__metadata__\":{\"nested\":{\"a\":\"b\"}}}", "")),
              HasSubstr("__metadata__ value for 'nested' is not a string"));
}

TEST(SafetensorsRejects, MalformedTensorEntries) {
  const auto reject = [](std::string entry) {
    return RejectionOf(SafetensorsFile("{\"t\":" + entry + "}", Bytes(1)));
  };
  EXPECT_THAT(reject("[1]"), HasSubstr("tensor 't' is not a JSON object"));
  EXPECT_THAT(reject("{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"align\":8}"),
              HasSubstr("tensor 't' has unknown field 'align'"));
  EXPECT_THAT(reject("{\"dtype\":\"U8\",\"data_offsets\":[0,1]}"),
              HasSubstr("tensor 't' has no 'shape'"));
  EXPECT_THAT(reject("{\"shape\":[1],\"data_offsets\":[0,1]}"),
              HasSubstr("tensor 't' has no 'dtype'"));
  EXPECT_THAT(reject("{\"dtype\":\"U8\",\"shape\":[1]}"),
              HasSubstr("tensor 't' has no 'data_offsets'"));
  EXPECT_THAT(reject("{\"dtype\":8,\"shape\":[1],\"data_offsets\":[0,1]}"),
              HasSubstr("tensor 't' has a dtype that is not a string"));
  EXPECT_THAT(reject("{\"dtype\":\"U8\",\"shape\":1,\"data_offsets\":[0,1]}"),
              HasSubstr("tensor 't' has a shape that is not an array"));
  EXPECT_THAT(
      reject("{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]}"),
      HasSubstr("tensor 't' has a shape element '-1' that is not a non-negative 64-bit integer"));
  EXPECT_THAT(reject("{\"dtype\":\"U8\",\"shape\":[1.0],\"data_offsets\":[0,1]}"),
              HasSubstr("shape element '1.0' that is not a non-negative 64-bit integer"));
  EXPECT_THAT(reject("{\"dtype\":\"U8\",\"shape\":[18446744073709551616],\"data_offsets\":[0,1]}"),
              HasSubstr("that is not a non-negative 64-bit integer"));
  EXPECT_THAT(reject("{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}"),
              HasSubstr("tensor 't' has data_offsets that are not [begin, end]"));
  EXPECT_THAT(reject("{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[\"0\",1]}"),
              HasSubstr("data_offsets element '\"0\"' that is not a non-negative 64-bit integer"));
}

TEST(SafetensorsRejects, NestingDeeperThanTheLimit) {
  std::string deep = "{\"__metadata__\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_THAT(RejectionOf(SafetensorsFile(deep, "")),
              HasSubstr("JSON nested deeper than 64 levels"));
}

TEST(SafetensorsRejects, ControlBytesInNamesAreEscapedInMessages) {
  std::string message =
      RejectionOf(SafetensorsFile("{" + Entry("a\\nb", "F7", "[1]", 0, 1) + "}", Bytes(1)));
  EXPECT_THAT(message, HasSubstr("tensor 'a\\x0ab' has unknown dtype"));
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(SafetensorsHeader, ReadErrorsPropagateAsIo) {
  testing::MemoryFileSystem fs;
  fs.FailReadsPast("model.safetensors", 0);
  Result<SafetensorsHeader> header = ReadSafetensorsHeader(*OpenSafetensors(fs, std::string(1024, '\0')));
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(header.status().message(), "model.safetensors: input/output error");
}

TEST(SafetensorsHeader, ReadsAFileOnDisk) {
  testing::ScratchDir dir;
  std::string path = dir.Write(
      "m.safetensors", SafetensorsFile("{" + Entry("a", "I32", "[2]", 0, 8) + "}", Bytes(8)));
  Result<std::unique_ptr<RandomAccessFile>> file = LocalFileSystem().OpenForRead(path);
  ASSERT_TRUE(file.ok()) << file.status().message();
  Result<SafetensorsHeader> header = ReadSafetensorsHeader(**file);
  ASSERT_TRUE(header.ok()) << header.status().message();
  EXPECT_EQ(header->tensors.size(), 1u);
}

// Every corruption of the prefix and the start of the header, and every
// truncation, is either still a valid file or a clean kInvalidInput.
TEST(SafetensorsCorruption, FlippedAndTruncatedBytesNeverCrash) {
  const std::string valid =
      SafetensorsFile("{\"__metadata__\":{\"format\":\"pt\"}," + Entry("w", "F16", "[2,2]", 0, 8) +
                          "," + Entry("q", "F4", "[4]", 8, 10) + "}",
                      Bytes(10));
  ASSERT_TRUE(Read(valid).ok());
  for (size_t i = 0; i < 64 && i < valid.size(); ++i) {
    for (int mask : {0x01, 0x02, 0x10, 0x20, 0x80, 0xff}) {
      std::string corrupt = valid;
      corrupt[i] = static_cast<char>(corrupt[i] ^ mask);
      Result<SafetensorsHeader> header = Read(corrupt);
      if (!header.ok()) {
        EXPECT_EQ(header.status().kind(), ErrorKind::kInvalidInput)
            << "byte " << i << " ^ " << mask << ": " << header.status().message();
      }
    }
  }
  // A truncated file never covers its data area: always a rejection.
  for (size_t length = 0; length < valid.size(); ++length) {
    Result<SafetensorsHeader> header = Read(valid.substr(0, length));
    ASSERT_FALSE(header.ok()) << "length " << length;
    EXPECT_EQ(header.status().kind(), ErrorKind::kInvalidInput) << header.status().message();
  }
}

// --- real files (../shared/realdata/weights, see its README.md) ---

Result<SafetensorsHeader> ReadRealFile(const std::string& name) {
  std::string path = testing::RealDataDir() + "/weights/" + name;
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file,
                         LocalFileSystem().OpenForRead(path));
  return ReadSafetensorsHeader(*file);
}

TEST(SafetensorsRealData, CandleVoicesHasTwoTensors) {
  ASSAY_REQUIRE_REALDATA();
  Result<SafetensorsHeader> header = ReadRealFile("candle_csm_voices.safetensors");
  ASSERT_TRUE(header.ok()) << header.status().message();
  EXPECT_TRUE(header->metadata.empty());
  EXPECT_EQ(header->data_start, 152u);
  ASSERT_EQ(header->tensors.size(), 2u);
  const TensorEntry& tokens = header->tensors[0];
  EXPECT_EQ(tokens.name, "tokens");
  EXPECT_EQ(tokens.dtype, "I64");
  EXPECT_EQ(tokens.shape, (std::vector<uint64_t>{1, 982, 33}));
  EXPECT_EQ(tokens.offset, 152u);
  EXPECT_EQ(tokens.size, 982u * 33u * 8u);
  const TensorEntry& mask = header->tensors[1];
  EXPECT_EQ(mask.name, "mask");
  EXPECT_EQ(mask.dtype, "U8");
  EXPECT_EQ(mask.shape, (std::vector<uint64_t>{1, 982, 33}));
  EXPECT_EQ(mask.offset, 152u + 982u * 33u * 8u);
  EXPECT_EQ(mask.size, 982u * 33u);
  EXPECT_EQ(mask.offset + mask.size, 291806u);
}

TEST(SafetensorsRealData, RejectsSafetensorsCppAbuseAttempt) {
  ASSAY_REQUIRE_REALDATA();
  Result<SafetensorsHeader> header = ReadRealFile("safetensors-cpp_abuse_attempt_1.safetensors");
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(header.status().message(),
              HasSubstr("safetensors-cpp_abuse_attempt_1.safetensors: header length 1000 exceeds "
                        "file size 88"));
}

}  // namespace
}  // namespace assay
