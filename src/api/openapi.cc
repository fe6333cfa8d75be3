#include "api/openapi.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/respond.h"
#include "auth/cookie_signer.h"

namespace otelstack::api {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr char kCookieScheme[] = "sessionCookie";
constexpr char kBearerScheme[] = "personalKey";

void Str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
void Key(Writer& w, std::string_view s) { w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

// "/api/sources/:id" -> "/api/sources/{id}", and the parameter names.
std::string OpenApiPath(std::string_view pattern, std::vector<std::string>* params) {
  std::string out;
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == ':' && (i == 0 || pattern[i - 1] == '/')) {
      size_t end = pattern.find('/', i);
      if (end == std::string_view::npos) end = pattern.size();
      std::string name(pattern.substr(i + 1, end - i - 1));
      params->push_back(name);
      out += "{" + name + "}";
      i = end;
    } else {
      out.push_back(pattern[i++]);
    }
  }
  return out;
}

std::string OperationId(http::Method method, std::string_view path) {
  std::string id(http::MethodName(method));
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool upper = true;
  for (char c : path) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

void WriteSecurity(Writer& w, Access access) {
  Key(w, "security");
  w.StartArray();
  if (access != Access::kPublic) {
    w.StartObject();
    Key(w, kCookieScheme);
    w.StartArray();
    w.EndArray();
    w.EndObject();
  }
  if (access == Access::kSessionOrKey) {
    w.StartObject();
    Key(w, kBearerScheme);
    w.StartArray();
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

void WriteErrorResponse(Writer& w, std::string_view status, std::string_view description) {
  Key(w, status);
  w.StartObject();
  Key(w, "description");
  Str(w, description);
  Key(w, "content");
  w.StartObject();
  Key(w, "application/json");
  w.StartObject();
  Key(w, "schema");
  w.StartObject();
  Key(w, "$ref");
  Str(w, "#/components/schemas/Error");
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

void WriteOperation(Writer& w, const Route& route, const std::vector<std::string>& params, const std::string& path) {
  w.StartObject();
  Key(w, "summary");
  Str(w, route.summary);
  Key(w, "operationId");
  Str(w, OperationId(route.method, path));
  if (!params.empty()) {
    Key(w, "parameters");
    w.StartArray();
    for (const std::string& name : params) {
      w.StartObject();
      Key(w, "name");
      Str(w, name);
      Key(w, "in");
      Str(w, "path");
      Key(w, "required");
      w.Bool(true);
      Key(w, "schema");
      w.StartObject();
      Key(w, "type");
      Str(w, "string");
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  if (route.method == http::Method::kPost || route.method == http::Method::kPut ||
      route.method == http::Method::kPatch) {
    Key(w, "requestBody");
    w.StartObject();
    Key(w, "content");
    w.StartObject();
    Key(w, "application/json");
    w.StartObject();
    Key(w, "schema");
    w.StartObject();
    Key(w, "type");
    Str(w, "object");
    w.EndObject();
    w.EndObject();
    w.EndObject();
    w.EndObject();
  }
  WriteSecurity(w, route.access);
  if (route.access != Access::kPublic) {
    Key(w, "x-otelstack-role");
    Str(w, meta::RoleName(route.role));
  }
  Key(w, "responses");
  w.StartObject();
  Key(w, "200");
  w.StartObject();
  Key(w, "description");
  Str(w, "Success (JSON)");
  w.EndObject();
  WriteErrorResponse(w, "default", "Error: {\"error\": message}");
  w.EndObject();
  w.EndObject();
}

void WriteComponents(Writer& w) {
  Key(w, "components");
  w.StartObject();
  Key(w, "securitySchemes");
  w.StartObject();
  Key(w, kCookieScheme);
  w.StartObject();
  Key(w, "type");
  Str(w, "apiKey");
  Key(w, "in");
  Str(w, "cookie");
  Key(w, "name");
  Str(w, auth::kSessionCookieName);
  Key(w, "description");
  Str(w, "Login session (POST /api/login). Requests that change state also send the X-CSRF-Token header.");
  w.EndObject();
  Key(w, kBearerScheme);
  w.StartObject();
  Key(w, "type");
  Str(w, "http");
  Key(w, "scheme");
  Str(w, "bearer");
  Key(w, "description");
  Str(w, "A personal access key: Authorization: Bearer <key> (rate limited per key).");
  w.EndObject();
  w.EndObject();
  Key(w, "schemas");
  w.StartObject();
  Key(w, "Error");
  w.StartObject();
  Key(w, "type");
  Str(w, "object");
  Key(w, "required");
  w.StartArray();
  Str(w, "error");
  w.EndArray();
  Key(w, "properties");
  w.StartObject();
  Key(w, "error");
  w.StartObject();
  Key(w, "type");
  Str(w, "string");
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string OpenApiJson(const Routes& routes) {
  // Group operations by path, keeping the table's first-seen path order.
  std::vector<std::string> path_order;
  std::map<std::string, std::vector<const Route*>> by_path;
  std::map<std::string, std::vector<std::string>> params_of;
  for (const Route& route : routes) {
    std::vector<std::string> params;
    std::string path = OpenApiPath(route.pattern, &params);
    if (by_path.find(path) == by_path.end()) {
      path_order.push_back(path);
      params_of[path] = params;
    }
    by_path[path].push_back(&route);
  }

  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Key(w, "openapi");
  Str(w, "3.0.3");
  Key(w, "info");
  w.StartObject();
  Key(w, "title");
  Str(w, "otelstack app API");
  Key(w, "version");
  Str(w, "2");
  Key(w, "description");
  Str(w, "Generated from the server's route table. Errors are {\"error\": message}; docs/api.md describes bodies.");
  w.EndObject();
  Key(w, "paths");
  w.StartObject();
  for (const std::string& path : path_order) {
    Key(w, path);
    w.StartObject();
    for (const Route* route : by_path[path]) {
      std::string method(http::MethodName(route->method));
      for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      Key(w, method);
      WriteOperation(w, *route, params_of[path], path);
    }
    w.EndObject();
  }
  w.EndObject();
  WriteComponents(w);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void AddOpenApiRoute(Routes* routes) {
  const Routes* table = routes;
  routes->push_back(Route{http::Method::kGet, "/api/openapi.json", Access::kPublic, meta::Role::kViewer,
                          "This API's OpenAPI 3.0 document", [table](Call&) { return Ok(OpenApiJson(*table)); }});
}

}  // namespace otelstack::api
