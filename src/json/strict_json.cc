#include "json/strict_json.h"

#include <algorithm>
#include <new>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>
#include <vector>

namespace assay {
namespace {

// Builds a DOM from nlohmann's SAX events, refusing what Json::parse would
// silently accept: a repeated key (parse keeps the last one) and nesting
// beyond kMaxStrictJsonDepth; and putting back the values of number stand-ins.
template <typename Json>
class StrictJsonBuilder final : public Json::json_sax_t {
 public:
  using number_integer_t = typename Json::number_integer_t;
  using number_unsigned_t = typename Json::number_unsigned_t;
  using number_float_t = typename Json::number_float_t;
  using string_t = typename Json::string_t;
  using binary_t = typename Json::binary_t;
  using exception = typename Json::exception;
  static constexpr bool kOrdered = std::is_same_v<Json, nlohmann::ordered_json>;

  explicit StrictJsonBuilder(std::span<const JsonNumberStandIn> stand_ins)
      : stand_ins_(stand_ins) {}

  bool null() override { return Add(nullptr); }
  bool boolean(bool value) override { return Add(value); }
  bool number_integer(number_integer_t value) override { return AddNumber(value); }
  bool number_unsigned(number_unsigned_t value) override { return AddNumber(value); }
  bool number_float(number_float_t value, const string_t& /*text*/) override {
    return AddNumber(value);
  }
  bool string(string_t& value) override { return Add(std::move(value)); }
  bool binary(binary_t& /*value*/) override { return Fail("binary value in JSON text"); }
  bool start_object(std::size_t /*elements*/) override { return Open(Json::object()); }
  bool start_array(std::size_t /*elements*/) override { return Open(Json::array()); }
  bool end_object() override {
    if constexpr (kOrdered) {
      if (!CheckOrderedKeysUnique(*open_.back())) return false;
    }
    return Close();
  }
  bool end_array() override { return Close(); }
  bool key(string_t& name) override {
    pending_key_ = std::move(name);
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const exception& error) override {
    // what() reads "[json.exception.parse_error.101] parse error at line 1, ...".
    std::string_view what = error.what();
    if (size_t prefix_end = what.find("] "); prefix_end != std::string_view::npos) {
      what.remove_prefix(prefix_end + 2);
    }
    constexpr size_t kMaxShown = 200;  // the last token may be megabytes long
    std::string text(what.substr(0, kMaxShown));
    if (what.size() > kMaxShown) text += "...";
    return Fail("invalid JSON: " + text);
  }

  const std::string& error() const { return error_; }
  Json TakeRoot() { return std::move(root_); }

 private:
  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  std::string DuplicateKeyMessage(std::string_view name) const {
    std::string where =
        open_names_.back().empty() ? "" : " in " + QuoteUntrusted(open_names_.back());
    return "duplicate key " + QuoteUntrusted(name) + where;
  }

  // nullptr when the value repeats a key of its object (error_ is set).
  Json* Insert(Json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    auto& members = parent.template get_ref<typename Json::object_t&>();
    if constexpr (kOrdered) {
      // ordered_map's own insert searches linearly; duplicates are found at end_object.
      members.emplace_back(std::move(pending_key_), std::move(value));
      return &members.back().second;
    } else {
      auto [slot, inserted] = members.emplace(std::move(pending_key_), std::move(value));
      if (!inserted) {
        Fail(DuplicateKeyMessage(slot->first));
        return nullptr;
      }
      return &slot->second;
    }
  }

  bool CheckOrderedKeysUnique(const Json& object) {
    const auto& members = object.template get_ref<const typename Json::object_t&>();
    std::vector<std::string_view> keys;
    keys.reserve(members.size());
    for (const auto& member : members) keys.push_back(member.first);
    std::sort(keys.begin(), keys.end());
    auto repeated = std::adjacent_find(keys.begin(), keys.end());
    if (repeated != keys.end()) return Fail(DuplicateKeyMessage(*repeated));
    return true;
  }

  bool Add(Json value) { return Insert(std::move(value)) != nullptr; }

  template <typename Number>
  bool AddNumber(Number value) {
    uint64_t ordinal = numbers_seen_++;
    if (next_stand_in_ < stand_ins_.size() && stand_ins_[next_stand_in_].ordinal == ordinal) {
      return Add(stand_ins_[next_stand_in_++].value);
    }
    return Add(value);
  }

  // Pointers on the stack stay valid: a container is only appended to while
  // it is the innermost open one, and its parent does not change meanwhile.
  bool Open(Json container) {
    if (open_.size() >= static_cast<size_t>(kMaxStrictJsonDepth)) {
      return Fail("JSON nested deeper than " + std::to_string(kMaxStrictJsonDepth) + " levels");
    }
    bool in_object = !open_.empty() && open_.back()->is_object();
    std::string name = in_object ? pending_key_ : std::string();
    Json* inserted = Insert(std::move(container));
    if (inserted == nullptr) return false;
    open_names_.push_back(std::move(name));
    open_.push_back(inserted);
    return true;
  }

  bool Close() {
    open_.pop_back();
    open_names_.pop_back();
    return true;
  }

  std::span<const JsonNumberStandIn> stand_ins_;
  size_t next_stand_in_ = 0;
  uint64_t numbers_seen_ = 0;
  Json root_;
  std::vector<Json*> open_;              // the containers not yet closed, innermost last
  std::vector<std::string> open_names_;  // the key of each in its parent object, or ""
  string_t pending_key_;
  std::string error_;
};

}  // namespace

template <typename Json>
Result<Json> ParseStrictJsonWithStandIns(std::string_view text,
                                         std::span<const JsonNumberStandIn> stand_ins) {
  // nlohmann's lexer takes a NUL byte for the end of the input, so text after
  // one would be ignored; JSON text never holds a raw NUL.
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return Status::InvalidInput("invalid JSON: NUL byte at offset " + std::to_string(nul));
  }
  StrictJsonBuilder<Json> builder(stand_ins);
  try {
    if (!Json::sax_parse(text.begin(), text.end(), &builder)) {
      return Status::InvalidInput(builder.error());
    }
  } catch (const std::bad_alloc&) {
    return Status::IoError("out of memory while parsing " + std::to_string(text.size()) +
                           " bytes of JSON");
  }
  return builder.TakeRoot();
}

template Result<nlohmann::json> ParseStrictJsonWithStandIns<nlohmann::json>(
    std::string_view, std::span<const JsonNumberStandIn>);
template Result<nlohmann::ordered_json> ParseStrictJsonWithStandIns<nlohmann::ordered_json>(
    std::string_view, std::span<const JsonNumberStandIn>);

Result<nlohmann::json> ParseStrictJson(std::string_view text) {
  return ParseStrictJsonWithStandIns<nlohmann::json>(text, {});
}

Result<nlohmann::ordered_json> ParseStrictOrderedJson(std::string_view text) {
  return ParseStrictJsonWithStandIns<nlohmann::ordered_json>(text, {});
}

std::string QuoteUntrusted(std::string_view text) {
  constexpr size_t kMaxShown = 80;
  std::string out = "'";
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) {
      constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += static_cast<char>(byte);
    }
  }
  if (text.size() > kMaxShown) out += "...";
  out += "'";
  return out;
}

}  // namespace assay
