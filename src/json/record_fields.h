// Typed, path-naming access to the fields of a document in one of assay's
// own formats (a record's statement, a proof): every reader of them checks
// structure in code with it, so an error names the field
// ("predicate.files[3].size: expected a non-negative integer").
#pragma once

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "digest/sha256.h"
#include "status.h"

namespace assay {

// A number as canonical JSON writes it, read back: a JSON number, or one of
// the strings "NaN", "Infinity", "-Infinity". nullopt for anything else.
inline std::optional<double> CanonicalNumber(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  if (text == "NaN") return std::nan("");
  if (text == "Infinity") return HUGE_VAL;
  if (text == "-Infinity") return -HUGE_VAL;
  return std::nullopt;
}

// Reads typed fields out of a JSON value, naming the field's path in errors
// ("predicate.files[3].size: expected a non-negative integer").
class Fields {
  using json = nlohmann::json;

 public:
  Fields(const json& value, std::string path) : value_(value), path_(std::move(path)) {}

  Result<Fields> Object(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (!field->is_object()) return Wrong(key, "an object");
    return Fields(*field, Path(key));
  }
  Result<std::vector<Fields>> Array(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (!field->is_array()) return Wrong(key, "an array");
    std::vector<Fields> items;
    for (size_t i = 0; i < field->size(); ++i) {
      items.emplace_back((*field)[i], Path(key) + "[" + std::to_string(i) + "]");
    }
    return items;
  }
  Result<std::string> String(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (!field->is_string()) return Wrong(key, "a string");
    return field->get<std::string>();
  }
  Result<uint64_t> Unsigned(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (!field->is_number_unsigned()) return Wrong(key, "a non-negative integer");
    return field->get<uint64_t>();
  }
  Result<bool> Bool(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (!field->is_boolean()) return Wrong(key, "true or false");
    return field->get<bool>();
  }
  Result<Sha256Digest> Digest(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(std::string hex, String(key));
    std::optional<Sha256Digest> digest = Sha256FromHex(hex);
    if (!digest || ToHex(*digest) != hex) return Wrong(key, "64 lowercase hex digits");
    return *digest;
  }
  Result<std::vector<uint64_t>> Dimensions(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    std::vector<uint64_t> dimensions;
    if (!field->is_array()) return Wrong(key, "an array of non-negative integers");
    for (const json& dimension : *field) {
      if (!dimension.is_number_unsigned()) return Wrong(key, "an array of non-negative integers");
      dimensions.push_back(dimension.get<uint64_t>());
    }
    return dimensions;
  }
  // A number, or one of the strings canonical JSON writes for NaN and ±Infinity.
  Result<double> Number(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (std::optional<double> number = CanonicalNumber(*field)) return *number;
    return Wrong(key, "a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
  }
  const json& value() const { return value_; }
  bool Has(const std::string& key) const { return value_.contains(key); }
  const std::string& path() const { return path_; }

 private:
  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  Result<const json*> Find(const std::string& key) const {
    auto found = value_.find(key);
    if (found == value_.end()) return Status::InvalidInput(Path(key) + ": missing");
    return &*found;
  }
  Status Wrong(const std::string& key, const std::string& expected) const {
    return Status::InvalidInput(Path(key) + ": expected " + expected);
  }

  const json& value_;
  std::string path_;
};

}  // namespace assay
