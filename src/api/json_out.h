// Writing JSON responses: the writer type, a render helper, and renderings
// of objects several route groups return (times, users).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <optional>
#include <string>

#include "meta/identity_repository.h"

namespace otelstack::api {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// The JSON text `write` produces.
std::string RenderJson(const std::function<void(JsonWriter&)>& write);

// Unix milliseconds, the API's time representation.
int64_t UnixMillis(meta::TimePoint t);
void WriteTime(JsonWriter& w, const char* key, std::optional<meta::TimePoint> t);  // null when unset

// {"id":"1","name":"My Team"}
void WriteTeam(JsonWriter& w, const meta::Team& team);

// {"id":"7","email":...,"name":...,"role":"admin","teamId":"1","createdAt":ms}
void WriteUser(JsonWriter& w, const meta::User& user);

}  // namespace otelstack::api
