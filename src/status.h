// Errors as values. Nothing in src/ throws across its API, prints or exits:
// a function that can fail returns a Status, or a Result<T> holding either a
// value or a Status. The command layer maps a Status's kind to an exit code in
// one place (cli/exit_codes.h), as DESIGN.md's command-line section defines:
//   kCheckFailed  -> 1  a check said no (bad signature, changed bytes)
//   kInvalidInput -> 2  malformed input or usage error
//   kNotFound     -> 2  what the user named is not there: no such record id,
//                       model name or remote (a missing file stays kIo)
//   kIo           -> 3  I/O or environment error (unreadable file, disk full)
//
// Messages are lower-case, one line, no final period. A function that opens a
// file names it in the message; a parser over bytes does not, and its caller
// adds the file with WithContext(path). A status may carry a hint: one line
// saying what to do next, which the command line prints as "hint: ...".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace assay {

enum class ErrorKind {
  kOk,
  kCheckFailed,
  kInvalidInput,
  kNotFound,
  kIo,
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok

  static Status Ok() { return Status(); }
  static Status CheckFailed(std::string message) {
    return Status(ErrorKind::kCheckFailed, std::move(message));
  }
  static Status InvalidInput(std::string message) {
    return Status(ErrorKind::kInvalidInput, std::move(message));
  }
  static Status IoError(std::string message) {
    return Status(ErrorKind::kIo, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(ErrorKind::kNotFound, std::move(message));
  }

  bool ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // What to do next, one line without "hint: "; empty when there is none.
  const std::string& hint() const { return hint_; }

  // "context: message", for naming the file or record an error belongs to.
  Status WithContext(std::string_view context) const;
  // The same status with `hint` (replacing any earlier one).
  Status WithHint(std::string hint) const;

 private:
  Status(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  ErrorKind kind_ = ErrorKind::kOk;
  std::string message_;
  std::string hint_;
};

// Either a T or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  // The error; Status::Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(state_); }

  // Precondition: ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace assay

#define ASSAY_CONCAT_INNER(a, b) a##b
#define ASSAY_CONCAT(a, b) ASSAY_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` (a Status) fails.
#define ASSAY_RETURN_IF_ERROR(expr)          \
  do {                                       \
    ::assay::Status assay_status_ = (expr);  \
    if (!assay_status_.ok()) return assay_status_; \
  } while (false)

// `lhs` = the value of `expr` (a Result<T>), or return its Status. It expands
// to several statements: under an `if`, use braces.
#define ASSAY_ASSIGN_OR_RETURN(lhs, expr) \
  ASSAY_ASSIGN_OR_RETURN_IMPL(ASSAY_CONCAT(assay_result_, __LINE__), lhs, expr)
#define ASSAY_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
