#include "api/respond.h"

#include <spdlog/spdlog.h>

namespace otelstack::api {

http::Response ErrorResponse(const Status& status) {
  switch (status.code()) {
    case Status::Code::kInvalidArgument:
      return http::Response::Error(400, status.message());
    case Status::Code::kUnauthenticated:
      return http::Response::Error(401, status.message());
    case Status::Code::kPermissionDenied:
      return http::Response::Error(403, status.message());
    case Status::Code::kNotFound:
      return http::Response::Error(404, status.message());
    case Status::Code::kAlreadyExists:
    case Status::Code::kFailedPrecondition:
      return http::Response::Error(409, status.message());
    case Status::Code::kResourceExhausted:
      return http::Response::Error(429, status.message());
    case Status::Code::kCancelled:
      return http::Response::Error(499, status.message());
    case Status::Code::kUnavailable:
      return http::Response::Error(503, status.message());
    default:
      spdlog::error("api: internal error: {}", status.ToString());
      return http::Response::Error(500, "internal error (see the server log)");
  }
}

}  // namespace otelstack::api
