// Status: the result of an operation that can fail, carrying a code and a
// human-readable message with context ("open wal/000001.log: No such file").
//
// Errors are values: functions that can fail return Status (or StatusOr<T>)
// instead of throwing. A default-constructed Status is OK and costs nothing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace otelstack {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,    // malformed input from a client or user
    kNotFound,
    kAlreadyExists,
    kCorruption,         // stored data failed a checksum or format check
    kIOError,
    kUnauthenticated,    // missing or wrong credentials
    kPermissionDenied,
    kResourceExhausted,  // input over a size limit
    kUnavailable,        // temporarily cannot accept work (back-pressure)
    kFailedPrecondition,
    kInternal,
    kCancelled,          // the caller gave up (e.g. a client disconnected)
  };

  Status() = default;

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status AlreadyExists(std::string msg) { return Status(Code::kAlreadyExists, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  // IOError for a failed system call: appends strerror(errno_value).
  static Status FromErrno(std::string_view context, int errno_value);
  static Status Unauthenticated(std::string msg) { return Status(Code::kUnauthenticated, std::move(msg)); }
  static Status PermissionDenied(std::string msg) { return Status(Code::kPermissionDenied, std::move(msg)); }
  static Status ResourceExhausted(std::string msg) { return Status(Code::kResourceExhausted, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status FailedPrecondition(std::string msg) { return Status(Code::kFailedPrecondition, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }
  static Status Cancelled(std::string msg) { return Status(Code::kCancelled, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "InvalidArgument: <message>", or "OK".
  std::string ToString() const;
  static std::string_view CodeName(Code code);

  // Returns a copy with "<context>: " prepended to the message.
  Status WithContext(std::string_view context) const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <typename T>
class StatusOr {
 public:
  StatusOr(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design
  StatusOr(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace otelstack

// Returns from the enclosing function when `expr` yields a non-OK Status.
#define OTELSTACK_RETURN_IF_ERROR(expr)       \
  do {                                        \
    ::otelstack::Status _st = (expr);         \
    if (!_st.ok()) return _st;                \
  } while (0)
