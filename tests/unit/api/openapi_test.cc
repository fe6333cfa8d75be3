// The OpenAPI document generated from a route table.
#include "api/openapi.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "api/query_limits_settings.h"
#include "api/query_routes.h"
#include "api/services.h"

namespace otelstack::api {
namespace {

http::Response Nothing(Call&) { return http::Response::Json(200, "{}"); }

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    routes_.push_back(
        Route{http::Method::kPost, "/api/login", Access::kPublic, meta::Role::kViewer, "Log in", Nothing});
    routes_.push_back(
        Route{http::Method::kGet, "/api/sources/:id", Access::kSession, meta::Role::kViewer, "Get a source", Nothing});
    routes_.push_back(Route{http::Method::kDelete, "/api/sources/:id", Access::kSession, meta::Role::kEditor,
                            "Delete a source", Nothing});
    AddQueryLimitsRoutes(services_, &routes_);
    AddQueryRoutes(services_, &routes_);
    AddOpenApiRoute(&routes_);
    // Added after the OpenAPI route: the document must still show it.
    routes_.push_back(Route{http::Method::kPatch, "/api/team/members/:userId/keys/:keyId", Access::kSessionOrKey,
                            meta::Role::kAdmin, "Late route", Nothing});
  }

  // The document as GET /api/openapi.json serves it.
  rapidjson::Document Served() {
    const Route* openapi = nullptr;
    for (const Route& route : routes_) {
      if (route.pattern == "/api/openapi.json") openapi = &route;
    }
    EXPECT_NE(openapi, nullptr);
    rapidjson::Document doc;
    if (openapi == nullptr) return doc;
    EXPECT_EQ(openapi->access, Access::kPublic);
    EXPECT_EQ(openapi->method, http::Method::kGet);
    http::Request request;
    Call call{request, nullptr};
    http::Response response = openapi->handler(call);
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(response.content_type, "application/json");
    doc.Parse(response.body.data(), response.body.size());
    EXPECT_FALSE(doc.HasParseError()) << response.body;
    return doc;
  }

  ApiServices services_;
  Routes routes_;
};

std::string OpenApiPathOf(const std::string& pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == ':') {
      size_t end = pattern.find('/', i);
      if (end == std::string::npos) end = pattern.size();
      out += "{" + pattern.substr(i + 1, end - i - 1) + "}";
      i = end;
    } else {
      out.push_back(pattern[i++]);
    }
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST_F(OpenApiTest, EveryRouteIsAnOperation) {
  rapidjson::Document doc = Served();
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["openapi"].GetString(), "3.0.3");
  ASSERT_TRUE(doc["info"]["title"].IsString());
  const rapidjson::Value& paths = doc["paths"];
  size_t operations = 0;
  for (auto it = paths.MemberBegin(); it != paths.MemberEnd(); ++it) operations += it->value.MemberCount();
  EXPECT_EQ(operations, routes_.size());
  for (const Route& route : routes_) {
    std::string path = OpenApiPathOf(route.pattern);
    std::string method = Lower(http::MethodName(route.method));
    ASSERT_TRUE(paths.HasMember(path.c_str())) << path;
    ASSERT_TRUE(paths[path.c_str()].HasMember(method.c_str())) << method << " " << path;
    const rapidjson::Value& op = paths[path.c_str()][method.c_str()];
    EXPECT_EQ(op["summary"].GetString(), route.summary) << path;
    EXPECT_TRUE(op["operationId"].IsString());
    EXPECT_TRUE(op["responses"].HasMember("200"));
    if (route.access == Access::kPublic) {
      EXPECT_EQ(op["security"].Size(), 0u) << path;  // explicitly none
      EXPECT_FALSE(op.HasMember("x-otelstack-role")) << path;
    } else {
      EXPECT_STREQ(op["x-otelstack-role"].GetString(), std::string(meta::RoleName(route.role)).c_str()) << path;
      const rapidjson::Value& security = op["security"];
      ASSERT_EQ(security.Size(), route.access == Access::kSessionOrKey ? 2u : 1u) << path;
      EXPECT_TRUE(security[0].HasMember("sessionCookie"));
      if (route.access == Access::kSessionOrKey) {
        EXPECT_TRUE(security[1].HasMember("personalKey"));
      }
    }
  }
}

TEST_F(OpenApiTest, PathParametersAndSchemes) {
  rapidjson::Document doc = Served();
  ASSERT_TRUE(doc.IsObject());
  const rapidjson::Value& late = doc["paths"]["/api/team/members/{userId}/keys/{keyId}"]["patch"];
  ASSERT_EQ(late["parameters"].Size(), 2u);
  EXPECT_STREQ(late["parameters"][0]["name"].GetString(), "userId");
  EXPECT_STREQ(late["parameters"][0]["in"].GetString(), "path");
  EXPECT_TRUE(late["parameters"][0]["required"].GetBool());
  EXPECT_STREQ(late["parameters"][1]["name"].GetString(), "keyId");
  EXPECT_STREQ(late["x-otelstack-role"].GetString(), "admin");

  const rapidjson::Value& trace = doc["paths"]["/api/v2/traces/{traceId}"]["get"];
  ASSERT_EQ(trace["parameters"].Size(), 1u);
  EXPECT_STREQ(trace["parameters"][0]["name"].GetString(), "traceId");

  // GET and DELETE of one path share the path item.
  EXPECT_TRUE(doc["paths"]["/api/sources/{id}"].HasMember("get"));
  EXPECT_TRUE(doc["paths"]["/api/sources/{id}"].HasMember("delete"));
  EXPECT_STREQ(doc["paths"]["/api/sources/{id}"]["delete"]["x-otelstack-role"].GetString(), "editor");

  const rapidjson::Value& schemes = doc["components"]["securitySchemes"];
  EXPECT_STREQ(schemes["sessionCookie"]["in"].GetString(), "cookie");
  EXPECT_STREQ(schemes["personalKey"]["scheme"].GetString(), "bearer");
}

TEST_F(OpenApiTest, DirectRenderingMatchesServed) {
  rapidjson::Document served = Served();
  std::string direct = OpenApiJson(routes_);
  rapidjson::Document doc;
  doc.Parse(direct.data(), direct.size());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_TRUE(doc == served);
}

}  // namespace
}  // namespace otelstack::api
