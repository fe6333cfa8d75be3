// Turning results into HTTP responses, one convention for every route:
// errors are {"error": "<message>"} with the status derived from the Status
// code; successes are JSON documents.
#pragma once

#include <string>

#include "common/status.h"
#include "http/message.h"

namespace otelstack::api {

// InvalidArgument 400, Unauthenticated 401, PermissionDenied 403, NotFound
// 404, AlreadyExists and FailedPrecondition 409, ResourceExhausted 429,
// Cancelled 499 (client closed request), Unavailable 503, others 500. A 500
// does not expose the internal message to the client (it is logged).
http::Response ErrorResponse(const Status& status);

// 200 with `json` as the body.
inline http::Response Ok(std::string json) { return http::Response::Json(200, std::move(json)); }

}  // namespace otelstack::api
