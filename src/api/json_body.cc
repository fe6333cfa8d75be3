#include "api/json_body.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace otelstack::api {

namespace {
const rapidjson::Value* Find(const rapidjson::Value& object, const char* field) {
  auto it = object.FindMember(field);
  if (it == object.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

Status WrongType(const char* field, const char* expected) {
  return Status::InvalidArgument(std::string(field) + ": must be " + expected);
}
}  // namespace

Status ParseJsonObject(std::string_view body, rapidjson::Document* out) {
  out->Parse(body.data(), body.size());
  if (out->HasParseError()) {
    return Status::InvalidArgument("request body: invalid JSON at offset " + std::to_string(out->GetErrorOffset()) +
                                   ": " + rapidjson::GetParseError_En(out->GetParseError()));
  }
  if (!out->IsObject()) return Status::InvalidArgument("request body: must be a JSON object");
  return Status::OK();
}

StatusOr<std::string> RequiredString(const rapidjson::Value& object, const char* field) {
  const rapidjson::Value* v = Find(object, field);
  if (!v) return Status::InvalidArgument(std::string(field) + ": is required");
  if (!v->IsString()) return WrongType(field, "a string");
  return std::string(v->GetString(), v->GetStringLength());
}

StatusOr<std::optional<std::string>> OptionalString(const rapidjson::Value& object, const char* field) {
  const rapidjson::Value* v = Find(object, field);
  if (!v) return std::optional<std::string>();
  if (!v->IsString()) return WrongType(field, "a string");
  return std::optional<std::string>(std::string(v->GetString(), v->GetStringLength()));
}

StatusOr<std::optional<int64_t>> OptionalInt(const rapidjson::Value& object, const char* field) {
  const rapidjson::Value* v = Find(object, field);
  if (!v) return std::optional<int64_t>();
  if (v->IsInt64()) return std::optional<int64_t>(v->GetInt64());
  // JavaScript clients send integral doubles (e.g. Date.now() results).
  if (v->IsDouble()) {
    double d = v->GetDouble();
    if (d == static_cast<double>(static_cast<int64_t>(d))) return std::optional<int64_t>(static_cast<int64_t>(d));
  }
  return WrongType(field, "an integer");
}

StatusOr<std::optional<double>> OptionalNumber(const rapidjson::Value& object, const char* field) {
  const rapidjson::Value* v = Find(object, field);
  if (!v) return std::optional<double>();
  if (!v->IsNumber()) return WrongType(field, "a number");
  return std::optional<double>(v->GetDouble());
}

StatusOr<std::optional<bool>> OptionalBool(const rapidjson::Value& object, const char* field) {
  const rapidjson::Value* v = Find(object, field);
  if (!v) return std::optional<bool>();
  if (!v->IsBool()) return WrongType(field, "true or false");
  return std::optional<bool>(v->GetBool());
}

std::string ToJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace otelstack::api
