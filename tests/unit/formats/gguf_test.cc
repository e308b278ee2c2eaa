#include "formats/gguf.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <set>

#include "formats/ggml_types.h"
#include "memory_file_system.h"
#include "test_support.h"

namespace assay {
namespace {

using ::assay::testing::AppendU32LE;
using ::assay::testing::AppendU64LE;

// ggml type ids used below (ggml.h enum ggml_type).
constexpr uint32_t kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ8_0 = 8, kQ4_K = 12, kQ6_K = 14, kIQ4_XS = 23,
                   kBF16 = 30;

// Opens `bytes` as model.gguf on `fs`; bytes past them up to `size` read as
// zeros, so a test can present a huge file without allocating it.
std::unique_ptr<RandomAccessFile> OpenGguf(testing::MemoryFileSystem& fs, std::string_view bytes, uint64_t size = 0) {
  fs.AddSparseFile("model.gguf", bytes, std::max<uint64_t>(size, bytes.size()));
  return std::move(fs.OpenForRead("model.gguf")).value();
}

// One encoded metadata value: its type and its bytes without the type.
struct Value {
  uint32_t type;
  std::string bytes;
};

template <typename T>
std::string LittleEndian(T value) {
  auto bits = std::bit_cast<std::conditional_t<sizeof(T) == 8, uint64_t,
                                               std::conditional_t<sizeof(T) == 4, uint32_t,
                                                                  std::conditional_t<sizeof(T) == 2, uint16_t, uint8_t>>>>(value);
  std::string out;
  for (size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>(bits >> (8 * i)));
  return out;
}

Value U8(uint8_t v) { return {0, LittleEndian(v)}; }
Value I8(int8_t v) { return {1, LittleEndian(v)}; }
Value U16(uint16_t v) { return {2, LittleEndian(v)}; }
Value I16(int16_t v) { return {3, LittleEndian(v)}; }
Value U32(uint32_t v) { return {4, LittleEndian(v)}; }
Value I32(int32_t v) { return {5, LittleEndian(v)}; }
Value F32(float v) { return {6, LittleEndian(v)}; }
Value Bool(bool v) { return {7, std::string(1, v ? '\1' : '\0')}; }
Value Str(std::string_view s) {
  std::string bytes;
  AppendU64LE(bytes, s.size());
  bytes += s;
  return {8, bytes};
}
Value U64(uint64_t v) { return {10, LittleEndian(v)}; }
Value I64(int64_t v) { return {11, LittleEndian(v)}; }
Value F64(double v) { return {12, LittleEndian(v)}; }
Value Array(uint32_t element_type, const std::vector<Value>& elements) {
  std::string bytes;
  AppendU32LE(bytes, element_type);
  AppendU64LE(bytes, elements.size());
  for (const Value& element : elements) bytes += element.bytes;
  return {9, bytes};
}

// Writes GGUF files: header, metadata, tensor infos, padding, tensor data.
// Tensors added with AddTensor are placed at aligned offsets and filled; the
// file ends right after the last tensor's bytes (no trailing padding), so any
// shorter prefix of it is invalid.
class GgufWriter {
 public:
  uint32_t version = 3;
  uint64_t alignment = 32;  // for placing tensors; add general.alignment to change the file's
  std::optional<uint64_t> tensor_count;  // overrides the real counts in the header
  std::optional<uint64_t> kv_count;

  void Add(std::string_view key, const Value& value) { AddRaw(key, value.type, value.bytes); }
  void AddRaw(std::string_view key, uint32_t type, std::string_view bytes) {
    kvs_ += Str(key).bytes;
    AppendU32LE(kvs_, type);
    kvs_ += bytes;
    ++kvs_added_;
  }

  // A tensor info with the given relative offset; writes no data.
  void AddTensorInfo(std::string_view name, const std::vector<uint64_t>& shape, uint32_t type,
                     uint64_t offset) {
    infos_ += Str(name).bytes;
    AppendU32LE(infos_, static_cast<uint32_t>(shape.size()));
    for (uint64_t dimension : shape) AppendU64LE(infos_, dimension);
    AppendU32LE(infos_, type);
    AppendU64LE(infos_, offset);
    ++tensors_added_;
  }

  // A tensor of `bytes` bytes at the next aligned offset of the data section.
  void AddTensor(std::string_view name, const std::vector<uint64_t>& shape, uint32_t type, uint64_t bytes) {
    const uint64_t offset = AlignUp(data_.size());
    data_.resize(offset, '\0');
    for (uint64_t i = 0; i < bytes; ++i) data_.push_back(static_cast<char>(1 + (i * 7) % 251));
    AddTensorInfo(name, shape, type, offset);
  }

  // Appends raw bytes to the data section.
  void AddData(uint64_t bytes) { data_.append(bytes, '\x5a'); }

  std::string Build() const {
    std::string out = "GGUF";
    AppendU32LE(out, version);
    AppendU64LE(out, tensor_count.value_or(tensors_added_));
    AppendU64LE(out, kv_count.value_or(kvs_added_));
    out += kvs_;
    out += infos_;
    if (tensors_added_ > 0) out.resize(AlignUp(out.size()), '\0');
    out += data_;
    return out;
  }

  // Where Build() puts the data section.
  uint64_t DataStart() const { return AlignUp(24 + kvs_.size() + infos_.size()); }

 private:
  uint64_t AlignUp(uint64_t n) const { return (n + alignment - 1) / alignment * alignment; }

  std::string kvs_;
  std::string infos_;
  std::string data_;
  uint64_t kvs_added_ = 0;
  uint64_t tensors_added_ = 0;
};

Result<GgufFile> ReadGgufBytes(const std::string& bytes) {
  testing::MemoryFileSystem fs;
  return ReadGguf(*OpenGguf(fs, bytes));
}

// The reason a file is rejected; fails the test if it is not kInvalidInput.
std::string Rejection(const std::string& bytes) {
  Result<GgufFile> gguf = ReadGgufBytes(bytes);
  if (gguf.ok()) return "accepted";
  EXPECT_EQ(gguf.status().kind(), ErrorKind::kInvalidInput) << gguf.status().message();
  return gguf.status().message();
}

template <typename T>
const T& Get(const GgufFile& gguf, std::string_view key) {
  const GgufValue* value = gguf.FindMetadata(key);
  if (value == nullptr) {
    ADD_FAILURE() << "no key " << key;
    static const T missing{};
    return missing;
  }
  return std::get<T>(value->value);
}

// A small valid file: metadata of several types, three tensors.
GgufWriter SmallModel() {
  GgufWriter writer;
  writer.Add("general.architecture", Str("llama"));
  writer.Add("llama.block_count", U32(1));
  writer.Add("tokenizer.ggml.tokens", Array(8, {Str("<s>"), Str("</s>")}));
  writer.AddTensor("token_embd.weight", {4, 2}, kF16, 16);
  writer.AddTensor("output_norm.weight", {4}, kF32, 16);
  writer.AddTensor("output.weight", {32, 1}, kQ8_0, 34);
  return writer;
}

// --- accepted files ---

TEST(Gguf, ReadsEveryValueTypeInFileOrder) {
  GgufWriter writer;
  writer.Add("u8", U8(200));
  writer.Add("i8", I8(-100));
  writer.Add("u16", U16(60000));
  writer.Add("i16", I16(-30000));
  writer.Add("u32", U32(4000000000u));
  writer.Add("i32", I32(-2000000000));
  writer.Add("f32", F32(1.5f));
  writer.Add("bool", Bool(true));
  writer.Add("string", Str("h\xc3\xa9llo"));
  writer.Add("u64", U64(uint64_t{1} << 63));
  writer.Add("i64", I64(-(int64_t{1} << 62)));
  writer.Add("f64", F64(-0.25));
  writer.Add("bytes", Array(0, {U8(1), U8(2), U8(255)}));
  writer.Add("flags", Array(7, {Bool(false), Bool(true)}));
  writer.Add("tokens", Array(8, {Str("a"), Str(""), Str("\xff not utf-8 is kept")}));
  writer.Add("nested", Array(9, {Array(5, {I32(-1), I32(2)}), Array(5, {}), Array(5, {I32(3)})}));
  writer.Add("empty", Array(12, {}));

  Result<GgufFile> gguf = ReadGgufBytes(writer.Build());
  ASSERT_TRUE(gguf.ok()) << gguf.status().message();
  std::vector<std::string> keys;
  for (const auto& [key, value] : gguf->metadata) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool",
                                            "string", "u64", "i64", "f64", "bytes", "flags",
                                            "tokens", "nested", "empty"}));
  EXPECT_EQ(Get<uint8_t>(*gguf, "u8"), 200);
  EXPECT_EQ(Get<int8_t>(*gguf, "i8"), -100);
  EXPECT_EQ(Get<uint16_t>(*gguf, "u16"), 60000);
  EXPECT_EQ(Get<int16_t>(*gguf, "i16"), -30000);
  EXPECT_EQ(Get<uint32_t>(*gguf, "u32"), 4000000000u);
  EXPECT_EQ(Get<int32_t>(*gguf, "i32"), -2000000000);
  EXPECT_EQ(Get<float>(*gguf, "f32"), 1.5f);
  EXPECT_EQ(Get<bool>(*gguf, "bool"), true);
  EXPECT_EQ(Get<std::string>(*gguf, "string"), "h\xc3\xa9llo");
  EXPECT_EQ(Get<uint64_t>(*gguf, "u64"), uint64_t{1} << 63);
  EXPECT_EQ(Get<int64_t>(*gguf, "i64"), -(int64_t{1} << 62));
  EXPECT_EQ(Get<double>(*gguf, "f64"), -0.25);
  EXPECT_EQ(gguf->FindMetadata("f64")->type(), GgufValueType::kFloat64);

  const auto& bytes = Get<GgufArray>(*gguf, "bytes");
  EXPECT_EQ(bytes.element_type(), GgufValueType::kUint8);
  EXPECT_EQ(std::get<std::vector<uint8_t>>(bytes.elements), (std::vector<uint8_t>{1, 2, 255}));
  EXPECT_EQ(std::get<std::vector<bool>>(Get<GgufArray>(*gguf, "flags").elements),
            (std::vector<bool>{false, true}));
  EXPECT_EQ(std::get<std::vector<std::string>>(Get<GgufArray>(*gguf, "tokens").elements),
            (std::vector<std::string>{"a", "", "\xff not utf-8 is kept"}));

  const auto& nested = Get<GgufArray>(*gguf, "nested");
  ASSERT_EQ(nested.element_type(), GgufValueType::kArray);
  const auto& rows = std::get<std::vector<GgufArray>>(nested.elements);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(std::get<std::vector<int32_t>>(rows[0].elements), (std::vector<int32_t>{-1, 2}));
  EXPECT_EQ(rows[1].size(), 0u);
  EXPECT_EQ(rows[1].element_type(), GgufValueType::kInt32);
  EXPECT_EQ(std::get<std::vector<int32_t>>(rows[2].elements), (std::vector<int32_t>{3}));
  EXPECT_EQ(Get<GgufArray>(*gguf, "empty").element_type(), GgufValueType::kFloat64);

  EXPECT_EQ(gguf->version, 3u);
  EXPECT_EQ(gguf->alignment, 32u);
  EXPECT_TRUE(gguf->tensors.empty());
  EXPECT_EQ(gguf->FindMetadata("absent"), nullptr);
}

TEST(Gguf, ReadsVersion2) {
  GgufWriter writer = SmallModel();
  writer.version = 2;
  Result<GgufFile> gguf = ReadGgufBytes(writer.Build());
  ASSERT_TRUE(gguf.ok()) << gguf.status().message();
  EXPECT_EQ(gguf->version, 2u);
  EXPECT_EQ(gguf->tensors.size(), 3u);
}

TEST(Gguf, LocatesQuantizedTensorsWithCustomAlignment) {
  GgufWriter writer;
  writer.alignment = 64;
  writer.Add("general.alignment", U32(64));
  // Sizes: (ne0 / block) * block bytes * the other dimensions (ggml.c type_traits).
  writer.AddTensor("q4_0", {64, 2}, kQ4_0, 2 * 18 * 2);
  writer.AddTensor("q8_0", {32, 3}, kQ8_0, 34 * 3);
  writer.AddTensor("q4_k", {256, 2}, kQ4_K, 144 * 2);
  writer.AddTensor("q6_k", {512}, kQ6_K, 2 * 210);
  writer.AddTensor("iq4_xs", {256, 1, 2}, kIQ4_XS, 136 * 2);
  writer.AddTensor("bf16", {3, 5, 1, 2}, kBF16, 3 * 5 * 2 * 2);
  writer.AddTensor("scalar", {}, kF32, 4);
  writer.AddTensor("empty", {0, 8}, kF16, 0);
  const std::string bytes = writer.Build();

  Result<GgufFile> gguf = ReadGgufBytes(bytes);
  ASSERT_TRUE(gguf.ok()) << gguf.status().message();
  EXPECT_EQ(gguf->alignment, 64u);
  EXPECT_EQ(gguf->data_start, writer.DataStart());
  EXPECT_EQ(gguf->data_start % 64, 0u);

  struct Expected {
    std::string name, dtype;
    std::vector<uint64_t> shape;
    uint64_t relative_offset, size;
  };
  const std::vector<Expected> expected = {
      {"q4_0", "Q4_0", {64, 2}, 0, 72},        {"q8_0", "Q8_0", {32, 3}, 128, 102},
      {"q4_k", "Q4_K", {256, 2}, 256, 288},    {"q6_k", "Q6_K", {512}, 576, 420},
      {"iq4_xs", "IQ4_XS", {256, 1, 2}, 1024, 272}, {"bf16", "BF16", {3, 5, 1, 2}, 1344, 60},
      {"scalar", "F32", {}, 1408, 4},          {"empty", "F16", {0, 8}, 1472, 0},
  };
  ASSERT_EQ(gguf->tensors.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const TensorEntry& tensor = gguf->tensors[i];
    EXPECT_EQ(tensor.name, expected[i].name);
    EXPECT_EQ(tensor.dtype, expected[i].dtype);
    EXPECT_EQ(tensor.shape, expected[i].shape);
    EXPECT_EQ(tensor.offset, gguf->data_start + expected[i].relative_offset) << tensor.name;
    EXPECT_EQ(tensor.size, expected[i].size) << tensor.name;
  }
  // The empty tensor sits at the aligned end of the file.
  EXPECT_EQ(gguf->tensors.back().offset, bytes.size());
}

TEST(Gguf, FileWithoutTensorsHasNoPaddingAfterMetadata) {
  GgufWriter writer;
  writer.Add("general.name", Str("vocab only"));  // leaves the end unaligned
  const std::string bytes = writer.Build();
  ASSERT_NE(bytes.size() % 32, 0u);
  Result<GgufFile> gguf = ReadGgufBytes(bytes);
  ASSERT_TRUE(gguf.ok()) << gguf.status().message();
  EXPECT_EQ(gguf->data_start, bytes.size());
}

TEST(Gguf, ReadsOnlyTheHeaderThroughTheBuffer) {
  GgufWriter writer = SmallModel();
  writer.AddTensor("big", {1 << 20}, kF32, 4 << 20);
  testing::MemoryFileSystem fs;
  Result<GgufFile> gguf = ReadGguf(*OpenGguf(fs, writer.Build()));
  ASSERT_TRUE(gguf.ok()) << gguf.status().message();
  EXPECT_LT(fs.StatsOf("model.gguf").bytes_read, gguf->data_start + 64 * 1024);
}

TEST(Gguf, ReadFailureIsIoError) {
  testing::MemoryFileSystem fs;
  fs.FailReadsPast("model.gguf", 0);
  Result<GgufFile> gguf = ReadGguf(*OpenGguf(fs, SmallModel().Build()));
  ASSERT_FALSE(gguf.ok());
  EXPECT_EQ(gguf.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(gguf.status().message(), "model.gguf: input/output error");
}

// --- the ggml type table ---

TEST(GgmlTypes, BlockSizesMatchGgml) {
  struct Expected {
    uint32_t id;
    std::string_view name;
    uint32_t block_size, type_size;
  };
  // From ggml-common.h's block structs and gguf-py's GGML_QUANT_SIZES.
  for (const Expected& want : std::vector<Expected>{{0, "F32", 1, 4},        {1, "F16", 1, 2},
                                                    {2, "Q4_0", 32, 18},     {3, "Q4_1", 32, 20},
                                                    {6, "Q5_0", 32, 22},     {7, "Q5_1", 32, 24},
                                                    {8, "Q8_0", 32, 34},     {9, "Q8_1", 32, 36},
                                                    {10, "Q2_K", 256, 84},   {11, "Q3_K", 256, 110},
                                                    {12, "Q4_K", 256, 144},  {13, "Q5_K", 256, 176},
                                                    {14, "Q6_K", 256, 210},  {15, "Q8_K", 256, 292},
                                                    {16, "IQ2_XXS", 256, 66}, {17, "IQ2_XS", 256, 74},
                                                    {18, "IQ3_XXS", 256, 98}, {19, "IQ1_S", 256, 50},
                                                    {20, "IQ4_NL", 32, 18},  {21, "IQ3_S", 256, 110},
                                                    {22, "IQ2_S", 256, 82},  {23, "IQ4_XS", 256, 136},
                                                    {24, "I8", 1, 1},        {25, "I16", 1, 2},
                                                    {26, "I32", 1, 4},       {27, "I64", 1, 8},
                                                    {28, "F64", 1, 8},       {29, "IQ1_M", 256, 56},
                                                    {30, "BF16", 1, 2},      {34, "TQ1_0", 256, 54},
                                                    {35, "TQ2_0", 256, 66},  {39, "MXFP4", 32, 17},
                                                    {40, "NVFP4", 64, 36},   {41, "Q1_0", 128, 18},
                                                    {42, "Q2_0", 64, 18}}) {
    Result<GgmlType> type = GgmlTypeFromId(want.id);
    ASSERT_TRUE(type.ok()) << want.name;
    EXPECT_EQ(type->name, want.name);
    EXPECT_EQ(type->block_size, want.block_size) << want.name;
    EXPECT_EQ(type->type_size, want.type_size) << want.name;
  }
  EXPECT_EQ(KnownGgmlTypes().size(), 35u);
}

TEST(GgmlTypes, RejectsRemovedAndUnknownIds) {
  EXPECT_EQ(GgmlTypeFromId(4).status().message(), "ggml type 4 (Q4_2) was removed from gguf files");
  EXPECT_EQ(GgmlTypeFromId(5).status().message(), "ggml type 5 (Q4_3) was removed from gguf files");
  EXPECT_EQ(GgmlTypeFromId(33).status().message(), "ggml type 33 (Q4_0_8_8) was removed from gguf files");
  EXPECT_EQ(GgmlTypeFromId(36).status().message(),
            "ggml type 36 (IQ4_NL_4_4) was removed from gguf files");
  EXPECT_EQ(GgmlTypeFromId(43).status().message(), "unknown ggml type 43");
  EXPECT_EQ(GgmlTypeFromId(0xFFFFFFFF).status().message(), "unknown ggml type 4294967295");
}

TEST(GgmlTypes, TensorBytes) {
  const GgmlType q4_k = *GgmlTypeFromId(kQ4_K);
  const std::vector<uint64_t> matrix = {512, 3};
  EXPECT_EQ(*GgmlTensorBytes(q4_k, matrix), 2u * 144 * 3);
  EXPECT_EQ(*GgmlTensorBytes(*GgmlTypeFromId(kF32), {}), 4u);
  // A zero dimension anywhere makes an empty tensor, even when the rest would overflow.
  const std::vector<uint64_t> empty = {uint64_t{1} << 40, uint64_t{1} << 40, 0};
  EXPECT_EQ(*GgmlTensorBytes(*GgmlTypeFromId(kF32), empty), 0u);
  const std::vector<uint64_t> ragged = {100};
  EXPECT_EQ(GgmlTensorBytes(q4_k, ragged).status().message(),
            "innermost dimension 100 is not a multiple of the Q4_K block size 256");
  const std::vector<uint64_t> huge = {uint64_t{1} << 62, 4};
  EXPECT_EQ(GgmlTensorBytes(*GgmlTypeFromId(kF16), huge).status().message(),
            "byte size overflows 64 bits");
}

// --- rejected files, one rule each ---

TEST(GgufRejects, BadMagic) {
  std::string bytes = SmallModel().Build();
  bytes[3] = 'X';
  EXPECT_EQ(Rejection(bytes), "model.gguf: not a gguf file: magic is 'GGUX', expected 'GGUF'");
  EXPECT_EQ(Rejection("\x7f" "ELF"), "model.gguf: not a gguf file: magic is '?ELF', expected 'GGUF'");
}

TEST(GgufRejects, UnsupportedVersions) {
  GgufWriter writer = SmallModel();
  writer.version = 1;
  EXPECT_EQ(Rejection(writer.Build()),
            "model.gguf: gguf version 1 is not supported (ggml dropped it); convert the model again");
  writer.version = 4;
  EXPECT_EQ(Rejection(writer.Build()), "model.gguf: unsupported gguf version 4 (known: 2, 3)");
  writer.version = 0;
  EXPECT_EQ(Rejection(writer.Build()), "model.gguf: unsupported gguf version 0 (known: 2, 3)");
  writer.version = 0x03000000;  // version 3 written big-endian
  EXPECT_EQ(Rejection(writer.Build()),
            "model.gguf: gguf version 50331648 looks like a big-endian file, which is not supported");
}

TEST(GgufRejects, EveryTruncation) {
  const std::string bytes = SmallModel().Build();
  ASSERT_TRUE(ReadGgufBytes(bytes).ok());
  for (size_t length = 0; length < bytes.size(); ++length) {
    Result<GgufFile> gguf = ReadGgufBytes(bytes.substr(0, length));
    ASSERT_FALSE(gguf.ok()) << "prefix of " << length << " bytes accepted";
    EXPECT_EQ(gguf.status().kind(), ErrorKind::kInvalidInput) << length;
    EXPECT_EQ(gguf.status().message().rfind("model.gguf: ", 0), 0u) << gguf.status().message();
  }
  EXPECT_EQ(Rejection(bytes.substr(0, 10)), "model.gguf: truncated: 8 bytes needed at offset 8, file has 10");
}

TEST(GgufRejects, EveryByteFlipIsReadOrRejectedCleanly) {
  const std::string bytes = SmallModel().Build();
  for (size_t at = 0; at < bytes.size(); ++at) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0xFF);
    Result<GgufFile> gguf = ReadGgufBytes(flipped);
    if (!gguf.ok()) {
      EXPECT_EQ(gguf.status().kind(), ErrorKind::kInvalidInput) << at;
    }
  }
}

TEST(GgufRejects, AbsurdCounts) {
  GgufWriter writer;
  writer.tensor_count = uint64_t{1} << 60;
  EXPECT_EQ(Rejection(writer.Build()),
            "model.gguf: tensor count 1152921504606846976 cannot fit in the 8 bytes left in the file");
  writer.tensor_count.reset();
  writer.kv_count = uint64_t{1} << 60;
  EXPECT_EQ(Rejection(writer.Build()),
            "model.gguf: metadata key count 1152921504606846976 cannot fit in the 0 bytes left in the file");
}

TEST(GgufRejects, AbsurdStringLength) {
  GgufWriter writer;
  std::string value;
  AppendU64LE(value, uint64_t{1} << 40);
  value += "abc";
  writer.AddRaw("k", 8, value);
  EXPECT_EQ(Rejection(writer.Build()),
            "model.gguf: metadata key 'k': string length 1099511627776 cannot fit in the 3 bytes left in the file");
}

TEST(GgufRejects, AbsurdArrayLengths) {
  for (uint32_t element_type : {0u, 8u, 9u}) {
    GgufWriter writer;
    std::string value;
    AppendU32LE(value, element_type);
    AppendU64LE(value, uint64_t{1} << 60);
    value += "abcd";
    writer.AddRaw("k", 9, value);
    EXPECT_EQ(Rejection(writer.Build()),
              "model.gguf: metadata key 'k': array length 1152921504606846976 cannot fit in the 4 "
              "bytes left in the file");
  }
  // 3 bytes hold three u8 elements but not one string, which needs 8 length bytes.
  GgufWriter writer;
  std::string value;
  AppendU32LE(value, 8);
  AppendU64LE(value, 3);
  value += "abc";
  writer.AddRaw("k", 9, value);
  EXPECT_EQ(Rejection(writer.Build()),
            "model.gguf: metadata key 'k': array length 3 cannot fit in the 3 bytes left in the file");
}

TEST(GgufRejects, HeaderLargerThanLimit) {
  // A 1 GiB file whose one string value would make the header pass 128 MiB.
  GgufWriter writer;
  std::string value;
  AppendU64LE(value, kGgufMaxHeaderBytes);
  writer.AddRaw("general.description", 8, value);
  testing::MemoryFileSystem fs;
  Result<GgufFile> gguf = ReadGguf(*OpenGguf(fs, writer.Build(), uint64_t{1} << 30));
  ASSERT_FALSE(gguf.ok());
  EXPECT_EQ(gguf.status().message(),
            "model.gguf: metadata key 'general.description': string length 134217728 passes the "
            "134217728-byte header limit");
}

TEST(GgufRejects, UnknownValueTypes) {
  GgufWriter writer;
  writer.AddRaw("k", 13, std::string(4, '\0'));
  EXPECT_EQ(Rejection(writer.Build()), "model.gguf: metadata key 'k': unknown value type 13");

  GgufWriter in_array;
  in_array.Add("k", Array(13, {}));
  EXPECT_EQ(Rejection(in_array.Build()), "model.gguf: metadata key 'k': unknown array element type 13");
}

TEST(GgufRejects, BoolOtherThanZeroOrOne) {
  GgufWriter writer;
  writer.AddRaw("k", 7, "\x02");
  EXPECT_EQ(Rejection(writer.Build()), "model.gguf: metadata key 'k': bool value 2 is neither 0 nor 1");
}

TEST(GgufRejects, ArraysNestedTooDeep) {
  Value value = Array(5, {});
  for (int depth = 1; depth < kGgufMaxArrayDepth; ++depth) value = Array(9, {value});
  GgufWriter writer;
  writer.Add("k", value);
  ASSERT_TRUE(ReadGgufBytes(writer.Build()).ok());  // exactly at the limit
  writer.Add("deeper", Array(9, {value}));
  EXPECT_EQ(Rejection(writer.Build()), "model.gguf: metadata key 'deeper': arrays nested deeper than 8 levels");
}

TEST(GgufRejects, BadKeys) {
  GgufWriter duplicate;
  duplicate.Add("general.name", Str("a"));
  duplicate.Add("general.name", Str("b"));
  EXPECT_EQ(Rejection(duplicate.Build()), "model.gguf: duplicate metadata key 'general.name'");

  GgufWriter empty;
  empty.Add("", U8(0));
  empty.Add("general.name", Str("x"));  // so the file could hold the one entry it promised
  empty.kv_count = 1;
  EXPECT_EQ(Rejection(empty.Build()), "model.gguf: metadata entry 0: key is empty");

  GgufWriter too_long;
  too_long.Add(std::string(kGgufMaxNameBytes + 1, 'k'), U8(0));
  EXPECT_EQ(Rejection(too_long.Build()),
            "model.gguf: metadata entry 0: key length 65536 exceeds the 65535-byte limit");

  GgufWriter not_utf8;
  not_utf8.Add("ok", U8(0));
  not_utf8.Add("bad\xc0\xaf", U8(0));  // an overlong '/'
  EXPECT_EQ(Rejection(not_utf8.Build()), "model.gguf: metadata entry 1: key is not valid UTF-8");
}

TEST(GgufRejects, BadAlignment) {
  GgufWriter not_power;
  not_power.Add("general.alignment", U32(48));
  EXPECT_EQ(Rejection(not_power.Build()), "model.gguf: general.alignment 48 is not a power of two");

  GgufWriter zero;
  zero.Add("general.alignment", U32(0));
  EXPECT_EQ(Rejection(zero.Build()), "model.gguf: general.alignment 0 is not a power of two");

  GgufWriter wrong_type;
  wrong_type.Add("general.alignment", U64(32));
  EXPECT_EQ(Rejection(wrong_type.Build()), "model.gguf: general.alignment has type uint64, expected uint32");
}

TEST(GgufRejects, UnknownAndRemovedGgmlTypes) {
  GgufWriter unknown;
  unknown.AddTensorInfo("t", {32}, 99, 0);
  EXPECT_EQ(Rejection(unknown.Build()), "model.gguf: tensor 't': unknown ggml type 99");

  GgufWriter removed;
  removed.AddTensorInfo("t", {32}, 31, 0);
  EXPECT_EQ(Rejection(removed.Build()),
            "model.gguf: tensor 't': ggml type 31 (Q4_0_4_4) was removed from gguf files");
}

TEST(GgufRejects, TooManyDimensions) {
  GgufWriter writer;
  writer.AddTensorInfo("t", {1, 1, 1, 1, 1}, kF32, 0);
  EXPECT_EQ(Rejection(writer.Build()), "model.gguf: tensor 't': has 5 dimensions, more than ggml's 4");
}

TEST(GgufRejects, DimensionAboveInt64) {
  GgufWriter writer;
  writer.AddTensorInfo("t", {1, uint64_t{1} << 63}, kF32, 0);
  EXPECT_EQ(Rejection(writer.Build()),
            "model.gguf: tensor 't': dimension 1 is 9223372036854775808, above ggml's int64 limit");
}

TEST(GgufRejects, RowNotWholeBlocks) {
  GgufWriter writer;
  writer.AddTensorInfo("t", {33, 2}, kQ4_0, 0);
  writer.AddData(64);
  EXPECT_EQ(Rejection(writer.Build()),
            "model.gguf: tensor 't': innermost dimension 33 is not a multiple of the Q4_0 block size 32");
}

TEST(GgufRejects, SizeOverflow) {
  GgufWriter writer;
  writer.AddTensorInfo("t", {uint64_t{1} << 62, 1 << 20}, kQ8_0, 0);
  EXPECT_EQ(Rejection(writer.Build()), "model.gguf: tensor 't': byte size overflows 64 bits");
}

TEST(GgufRejects, MisalignedOffset) {
  GgufWriter writer;
  writer.AddTensorInfo("t", {4}, kF32, 16);
  writer.AddData(32);
  EXPECT_EQ(Rejection(writer.Build()),
            "model.gguf: tensor 't': offset 16 is not a multiple of the alignment 32");
}

TEST(GgufRejects, TensorPastEndOfFile) {
  GgufWriter writer;
  writer.AddTensorInfo("t", {16}, kF32, 0);  // 64 bytes
  writer.AddData(63);
  const std::string bytes = writer.Build();
  EXPECT_EQ(Rejection(bytes), "model.gguf: tensor 't' (offset 0, 64 bytes) extends past the end of the file (" +
                                  std::to_string(bytes.size()) + " bytes)");

  GgufWriter far;
  far.AddTensorInfo("t", {0}, kF32, uint64_t{1} << 63);  // empty, but placed beyond the file
  EXPECT_EQ(Rejection(far.Build()),
            "model.gguf: tensor 't' (offset 9223372036854775808, 0 bytes) extends past the end of the "
            "file (64 bytes)");
}

TEST(GgufRejects, DataSectionPastEndOfFile) {
  GgufWriter writer;
  writer.AddTensorInfo("t", {0}, kF32, 0);
  std::string bytes = writer.Build();
  bytes.resize(24 + 8 + 1 + 4 + 8 + 4 + 8);  // cut the padding after the tensor info
  EXPECT_EQ(Rejection(bytes), "model.gguf: tensor data would start at offset 64, past the end of the file (57 bytes)");
}

TEST(GgufRejects, OverlappingTensors) {
  GgufWriter writer;
  writer.AddTensorInfo("a", {16}, kF32, 0);   // bytes [0, 64)
  writer.AddTensorInfo("b", {8}, kF32, 32);   // bytes [32, 64)
  writer.AddData(64);
  EXPECT_EQ(Rejection(writer.Build()), "model.gguf: tensors 'a' and 'b' overlap");

  GgufWriter contained;  // b lies inside a; c starts after b ends but inside a
  contained.AddTensorInfo("a", {64}, kF32, 0);   // [0, 256)
  contained.AddTensorInfo("b", {8}, kF32, 32);   // [32, 64)
  contained.AddTensorInfo("c", {8}, kF32, 128);  // [128, 160)
  contained.AddData(256);
  EXPECT_EQ(Rejection(contained.Build()), "model.gguf: tensors 'a' and 'b' overlap");

  GgufWriter touching;  // adjacent ranges and empty tensors do not overlap
  touching.AddTensorInfo("a", {8}, kF32, 0);
  touching.AddTensorInfo("b", {8}, kF32, 32);
  touching.AddTensorInfo("empty", {0}, kF32, 32);
  touching.AddData(64);
  EXPECT_TRUE(ReadGgufBytes(touching.Build()).ok());
}

TEST(GgufRejects, BadTensorNames) {
  GgufWriter duplicate;
  duplicate.AddTensor("w", {8}, kF32, 32);
  duplicate.AddTensor("w", {8}, kF32, 32);
  EXPECT_EQ(Rejection(duplicate.Build()), "model.gguf: duplicate tensor name 'w'");

  GgufWriter empty;
  empty.AddTensor("", {8}, kF32, 32);
  EXPECT_EQ(Rejection(empty.Build()), "model.gguf: tensor 0: tensor name is empty");

  GgufWriter not_utf8;
  not_utf8.AddTensor("\xed\xa0\x80", {8}, kF32, 32);  // a UTF-16 surrogate
  EXPECT_EQ(Rejection(not_utf8.Build()), "model.gguf: tensor 0: tensor name is not valid UTF-8");

  GgufWriter control;  // shown safely in the message: one line, no control bytes
  control.AddTensor("a\nb", {8}, kF32, 32);
  control.AddTensor("a\nb", {8}, kF32, 32);
  EXPECT_EQ(Rejection(control.Build()), "model.gguf: duplicate tensor name 'a?b'");
}

// --- real files ---

std::string RealWeights(const std::string& name) {
  return ::assay::testing::RealDataDir() + "/weights/" + name;
}

TEST(GgufRealData, TinyLlama) {
  ASSAY_REQUIRE_REALDATA();
  auto file = LocalFileSystem().OpenForRead(RealWeights("llama-2-tiny-random.gguf"));
  ASSERT_TRUE(file.ok()) << file.status().message();
  Result<GgufFile> gguf = ReadGguf(**file);
  ASSERT_TRUE(gguf.ok()) << gguf.status().message();
  EXPECT_EQ(gguf->version, 3u);
  EXPECT_EQ(gguf->alignment, 32u);  // no general.alignment key: the default
  EXPECT_EQ(gguf->FindMetadata("general.alignment"), nullptr);
  EXPECT_EQ(gguf->metadata.size(), 18u);
  EXPECT_EQ(Get<std::string>(*gguf, "general.architecture"), "llama");
  EXPECT_EQ(Get<GgufArray>(*gguf, "tokenizer.ggml.tokens").size(), 32000u);

  ASSERT_EQ(gguf->tensors.size(), 12u);
  std::set<std::string> dtypes;
  for (const TensorEntry& tensor : gguf->tensors) dtypes.insert(tensor.dtype);
  EXPECT_EQ(dtypes, (std::set<std::string>{"F16", "F32"}));
  EXPECT_EQ(gguf->data_start, 724416u);
  const TensorEntry& first = gguf->tensors.front();
  EXPECT_EQ(first.name, "token_embd.weight");
  EXPECT_EQ(first.shape, (std::vector<uint64_t>{8, 32000}));
  EXPECT_EQ(first.offset, gguf->data_start);
  EXPECT_EQ(first.size, 8u * 32000 * 2);
  // The writer packed the tensors with no trailing padding: the last one ends the file.
  const TensorEntry& last = gguf->tensors.back();
  EXPECT_EQ(last.name, "output.weight");
  EXPECT_EQ(last.offset + last.size, (*file)->size());
  EXPECT_EQ((*file)->size(), 1750560u);
}

TEST(GgufRealData, VocabOnly) {
  ASSAY_REQUIRE_REALDATA();
  auto file = LocalFileSystem().OpenForRead(RealWeights("ggml-vocab-llama-spm.gguf"));
  ASSERT_TRUE(file.ok()) << file.status().message();
  Result<GgufFile> gguf = ReadGguf(**file);
  ASSERT_TRUE(gguf.ok()) << gguf.status().message();
  EXPECT_EQ(gguf->version, 3u);
  EXPECT_EQ(gguf->metadata.size(), 22u);
  EXPECT_TRUE(gguf->tensors.empty());
  const auto& tokens = Get<GgufArray>(*gguf, "tokenizer.ggml.tokens");
  ASSERT_EQ(tokens.element_type(), GgufValueType::kString);
  const auto& strings = std::get<std::vector<std::string>>(tokens.elements);
  ASSERT_EQ(strings.size(), 32000u);
  EXPECT_EQ(strings[1], "<s>");
  EXPECT_EQ(Get<GgufArray>(*gguf, "tokenizer.ggml.scores").element_type(), GgufValueType::kFloat32);
  EXPECT_EQ(Get<bool>(*gguf, "tokenizer.ggml.add_bos_token"), true);
  // No tensors, so no padding: the file ends right after the key/value section.
  EXPECT_EQ(gguf->data_start, (*file)->size());
  EXPECT_EQ(gguf->data_start, 723869u);
}

}  // namespace
}  // namespace assay
