// A fixture for the configuration routes: a real MetaStore in a temp dir, a
// team with an admin, an editor and a viewer, the team defaults, and the
// routes of AddConfigRoutes called directly (no guard: the fixture plays the
// guard by choosing the Caller).
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>

#include "api/config_routes.h"
#include "api/services.h"
#include "api/source_model.h"
#include "meta/meta_store.h"
#include "test_util/temp_dir.h"

namespace otelstack::api {

class ConfigFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = meta::MetaStore::Open(dir_.Sub("data"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    meta_ = std::move(store.value());
    services_.meta = meta_.get();
    services_.master_key = std::string(32, '\x42');

    meta::NewUser admin{"admin@example.com", "Admin", meta::Role::kAdmin, "hash", services_.clock()};
    auto registered = meta_->identity().CreateFirstTeam("Acme", admin);
    ASSERT_TRUE(registered.ok()) << registered.status().ToString();
    team_ = registered->team.id;
    admin_ = registered->admin;
    editor_ = MakeUser(team_, "editor@example.com", meta::Role::kEditor);
    viewer_ = MakeUser(team_, "viewer@example.com", meta::Role::kViewer);
    ASSERT_TRUE(EnsureTeamDefaults(services_, team_).ok());
    AddConfigRoutes(services_, &routes_);
  }

  meta::User MakeUser(int64_t team, const std::string& email, meta::Role role) {
    meta::NewUser user{email, email, role, "hash", services_.clock()};
    auto created = meta_->identity().CreateUser(team, user);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : meta::User{};
  }

  // A second team, written with plain SQL: the identity repository creates
  // only the first team (others come from a later feature).
  int64_t CreateOtherTeam() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(meta_->path().c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    EXPECT_EQ(sqlite3_exec(db, "INSERT INTO teams(name, created_at) VALUES ('Other', 0)", nullptr, nullptr, nullptr),
              SQLITE_OK);
    int64_t id = sqlite3_last_insert_rowid(db);
    sqlite3_close(db);
    return id;
  }

  const Route* FindRoute(http::Method method, const std::string& pattern) const {
    for (const Route& route : routes_) {
      if (route.method == method && route.pattern == pattern) return &route;
    }
    return nullptr;
  }

  http::Response Call(http::Method method, const std::string& pattern, const meta::User& user,
                      const std::string& body = "", const std::string& id = "") {
    const Route* route = FindRoute(method, pattern);
    if (route == nullptr) {
      ADD_FAILURE() << "no route " << http::MethodName(method) << " " << pattern;
      return http::Response::Error(599, "no route");
    }
    http::Request request;
    request.method = method;
    request.path = pattern;
    request.body = body;
    if (!id.empty()) request.path_params["id"] = id;
    Caller caller;
    caller.user = user;
    api::Call call{request, &caller};
    return route->handler(call);
  }

  static rapidjson::Document Json(const http::Response& response) {
    rapidjson::Document doc;
    doc.Parse(response.body.c_str());
    EXPECT_FALSE(doc.HasParseError()) << response.body;
    return doc;
  }

  static std::string Str(const rapidjson::Value& v, const char* field) {
    auto it = v.FindMember(field);
    return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "<missing>";
  }

  // The id of the team's source named `name` as listed for `user` ("" if absent).
  std::string SourceId(const meta::User& user, const std::string& name) {
    auto doc = Json(Call(http::Method::kGet, "/api/v2/sources", user));
    for (const auto& s : doc["data"].GetArray()) {
      if (Str(s, "name") == name) return Str(s, "id");
    }
    return "";
  }

  test::TempDir dir_;
  std::unique_ptr<meta::MetaStore> meta_;
  ApiServices services_;
  Routes routes_;
  int64_t team_ = 0;
  meta::User admin_, editor_, viewer_;
};

}  // namespace otelstack::api
