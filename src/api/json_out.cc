#include "api/json_out.h"

namespace otelstack::api {

std::string RenderJson(const std::function<void(JsonWriter&)>& write) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

int64_t UnixMillis(meta::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

void WriteTime(JsonWriter& w, const char* key, std::optional<meta::TimePoint> t) {
  w.Key(key);
  if (t) {
    w.Int64(UnixMillis(*t));
  } else {
    w.Null();
  }
}

void WriteTeam(JsonWriter& w, const meta::Team& team) {
  w.StartObject();
  w.Key("id");
  w.String(std::to_string(team.id).c_str());
  w.Key("name");
  w.String(team.name.c_str());
  w.EndObject();
}

void WriteUser(JsonWriter& w, const meta::User& user) {
  w.StartObject();
  w.Key("id");
  w.String(std::to_string(user.id).c_str());
  w.Key("email");
  w.String(user.email.c_str());
  w.Key("name");
  w.String(user.name.c_str());
  w.Key("role");
  w.String(std::string(meta::RoleName(user.role)).c_str());
  w.Key("teamId");
  w.String(std::to_string(user.team_id).c_str());
  WriteTime(w, "createdAt", user.created_at);
  w.EndObject();
}

}  // namespace otelstack::api
