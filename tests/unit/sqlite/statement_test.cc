#include "sqlite/statement.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "sqlite/database.h"
#include "test_support.h"

namespace assay {
namespace {

class SqliteStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteSchema schema;
    schema.application_id = 0x56414c53;  // "VALS"
    schema.version = 1;
    schema.create_sql = "CREATE TABLE t (v ANY) STRICT;";
    Result<SqliteDatabase> opened =
        SqliteDatabase::Open((dir_.path() / "values.sqlite").string(), schema, 1000);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    database_.emplace(std::move(*opened));
  }

  // Binds `value` as ?1 of a statement that returns it and its storage class,
  // and checks that class; `read` then reads the value from the row.
  template <typename Value, typename Read>
  void RoundTrip(const Value& value, SqliteType expected_type, std::string_view type_name, Read&& read) {
    Result<SqliteStatement> statement = database_->Prepare("SELECT ?1, typeof(?1)");
    ASSERT_TRUE(statement.ok()) << statement.status().message();
    ASSERT_TRUE(statement->Bind(value).ok());
    Result<bool> row = statement->Step();
    ASSERT_TRUE(row.ok() && *row);
    EXPECT_EQ(statement->ColumnCount(), 2);
    EXPECT_EQ(statement->ColumnType(0), expected_type);
    EXPECT_EQ(statement->Bytes(1), type_name);
    read(*statement);
    EXPECT_FALSE(*statement->Step());
  }

  testing::ScratchDir dir_;
  std::optional<SqliteDatabase> database_;
};

TEST_F(SqliteStatementTest, Text) {
  const std::string text = "weights v1";
  auto is = [](std::string expected) {
    return [expected](const SqliteStatement& row) {
      EXPECT_EQ(row.Bytes(0), expected);
      EXPECT_EQ(row.OptionalBytes(0), expected);
      EXPECT_FALSE(row.IsNull(0));
    };
  };
  RoundTrip(text, SqliteType::kText, "text", is("weights v1"));
  RoundTrip(std::string_view(text).substr(0, 7), SqliteType::kText, "text", is("weights"));
  RoundTrip("a literal", SqliteType::kText, "text", is("a literal"));
  // Empty is an empty text, not NULL, even from a string_view with no data.
  RoundTrip(std::string_view(), SqliteType::kText, "text", is(""));
  // Bytes are kept as given, UTF-8 or not, NUL bytes included.
  RoundTrip(std::string("\xff\x00z", 3), SqliteType::kText, "text", is(std::string("\xff\x00z", 3)));
}

TEST_F(SqliteStatementTest, Blob) {
  const std::array<uint8_t, 4> digest = {0xde, 0xad, 0x00, 0xef};
  RoundTrip(SqliteBlob(std::span<const uint8_t>(digest)), SqliteType::kBlob, "blob",
            [](const SqliteStatement& row) { EXPECT_EQ(row.Bytes(0), std::string("\xde\xad\x00\xef", 4)); });
  RoundTrip(SqliteBlob(std::string_view("envelope")), SqliteType::kBlob, "blob",
            [](const SqliteStatement& row) { EXPECT_EQ(row.Bytes(0), "envelope"); });
  RoundTrip(SqliteBlob(std::string_view()), SqliteType::kBlob, "blob",
            [](const SqliteStatement& row) { EXPECT_EQ(row.OptionalBytes(0), ""); });
}

TEST_F(SqliteStatementTest, Integers) {
  auto is = [](int64_t expected) {
    return [expected](const SqliteStatement& row) { EXPECT_EQ(row.Integer(0), expected); };
  };
  RoundTrip(42, SqliteType::kInteger, "integer", is(42));
  RoundTrip(std::numeric_limits<int64_t>::min(), SqliteType::kInteger, "integer",
            is(std::numeric_limits<int64_t>::min()));
  RoundTrip(true, SqliteType::kInteger, "integer", is(1));
  RoundTrip(size_t{7}, SqliteType::kInteger, "integer", is(7));
  // Unsigned values keep their bits: stored as the signed integer, read back whole.
  const uint64_t top = std::numeric_limits<uint64_t>::max() - 1;
  RoundTrip(top, SqliteType::kInteger, "integer", [&](const SqliteStatement& row) {
    EXPECT_EQ(row.Integer(0), -2);
    EXPECT_EQ(row.Unsigned(0), top);
  });
}

TEST_F(SqliteStatementTest, Reals) {
  RoundTrip(0.1, SqliteType::kReal, "real", [](const SqliteStatement& row) {
    EXPECT_EQ(row.Real(0), 0.1);
    EXPECT_EQ(row.OptionalReal(0), 0.1);
  });
  RoundTrip(-0.0, SqliteType::kReal, "real",
            [](const SqliteStatement& row) { EXPECT_TRUE(std::signbit(row.Real(0))); });
}

TEST_F(SqliteStatementTest, OptionalsBindNullOrTheirValue) {
  auto null = [](const SqliteStatement& row) {
    EXPECT_TRUE(row.IsNull(0));
    EXPECT_EQ(row.OptionalBytes(0), std::nullopt);
    EXPECT_EQ(row.OptionalReal(0), std::nullopt);
    // NULL reads as zero and empty where a value is asked for.
    EXPECT_EQ(row.Integer(0), 0);
    EXPECT_EQ(row.Real(0), 0.0);
    EXPECT_EQ(row.Bytes(0), "");
  };
  RoundTrip(std::optional<std::string>(), SqliteType::kNull, "null", null);
  RoundTrip(std::optional<double>(), SqliteType::kNull, "null", null);
  RoundTrip(std::optional<int64_t>(), SqliteType::kNull, "null", null);
  RoundTrip(std::optional<std::string>("r54"), SqliteType::kText, "text",
            [](const SqliteStatement& row) { EXPECT_EQ(row.OptionalBytes(0), "r54"); });
  RoundTrip(std::optional<double>(2.5), SqliteType::kReal, "real",
            [](const SqliteStatement& row) { EXPECT_EQ(row.OptionalReal(0), 2.5); });
}

TEST_F(SqliteStatementTest, BindsInOrderAndCopiesTemporaries) {
  Result<SqliteStatement> statement = database_->Prepare("SELECT ?1 || ?2 || ?3");
  ASSERT_TRUE(statement.ok());
  ASSERT_TRUE(statement->Bind(std::string("tem") + "porary", 2, std::string_view("x")).ok());
  std::string overwrite(64, 'z');  // reuses the freed temporary's memory, if anything does
  ASSERT_TRUE(*statement->Step());
  EXPECT_EQ(statement->Bytes(0), "temporary2x");
}

TEST_F(SqliteStatementTest, BindBorrowedReadsTheCallersBytes) {
  const std::string text = "borrowed";
  const std::array<uint8_t, 2> bytes = {1, 2};
  Result<SqliteStatement> statement = database_->Prepare("SELECT ?1, ?2, ?3");
  ASSERT_TRUE(statement.ok());
  ASSERT_TRUE(statement->BindBorrowed(text, SqliteBlob(std::span<const uint8_t>(bytes)),
                                      std::optional<std::string_view>()).ok());
  ASSERT_TRUE(*statement->Step());
  EXPECT_EQ(statement->Bytes(0), "borrowed");
  EXPECT_EQ(statement->Bytes(1), std::string("\x01\x02", 2));
  EXPECT_TRUE(statement->IsNull(2));
}

TEST_F(SqliteStatementTest, StepsThroughRowsAndStoredValues) {
  ASSERT_TRUE(database_->Run("INSERT INTO t (v) VALUES (?1), (?2), (?3)", 1, "two",
                             SqliteBlob(std::string_view("3"))).ok());
  std::vector<SqliteType> types;
  ASSERT_TRUE(database_->ForEachRow("SELECT v FROM t ORDER BY rowid", [&](const SqliteStatement& row) {
    types.push_back(row.ColumnType(0));
  }).ok());
  EXPECT_EQ(types, (std::vector<SqliteType>{SqliteType::kInteger, SqliteType::kText, SqliteType::kBlob}));
}

TEST_F(SqliteStatementTest, BindingErrorsNameTheFile) {
  Result<SqliteStatement> statement = database_->Prepare("SELECT ?1");
  ASSERT_TRUE(statement.ok());
  Status bound = statement->Bind(1, 2);
  EXPECT_EQ(bound.kind(), ErrorKind::kIo);
  EXPECT_EQ(bound.message(), (dir_.path() / "values.sqlite").string() + ": column index out of range");
}

}  // namespace
}  // namespace assay
