// Reading JSON request bodies: parse once, then typed field accessors whose
// errors name the field ("email: must be a string"), so a 400 tells the
// client exactly what to fix.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack::api {

// Parses `body` as a JSON object. InvalidArgument ("request body: ...") when
// it is not valid JSON or not an object.
Status ParseJsonObject(std::string_view body, rapidjson::Document* out);

// Field accessors over a JSON object. Absent and null fields are "missing".
// Required* fail with InvalidArgument when missing or of another type;
// Optional* return nullopt when missing and fail only on a wrong type.
StatusOr<std::string> RequiredString(const rapidjson::Value& object, const char* field);
StatusOr<std::optional<std::string>> OptionalString(const rapidjson::Value& object, const char* field);
StatusOr<std::optional<int64_t>> OptionalInt(const rapidjson::Value& object, const char* field);
StatusOr<std::optional<double>> OptionalNumber(const rapidjson::Value& object, const char* field);
StatusOr<std::optional<bool>> OptionalBool(const rapidjson::Value& object, const char* field);

// `value` rendered as compact JSON text.
std::string ToJson(const rapidjson::Value& value);

}  // namespace otelstack::api
