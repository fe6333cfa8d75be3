#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/router.h"
#include "test_util/temp_dir.h"

namespace otelstack::http {
namespace {

void Write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

Request Get(const std::string& path) {
  Request request;
  request.method = Method::kGet;
  request.path = path;
  return request;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write(dir_.path() + "/index.html", "<!doctype html><div id=root></div>");
    Write(dir_.path() + "/assets/index-abc123.js", "console.log(1)");
    Write(dir_.path() + "/favicon.svg", "<svg/>");
    auto files = StaticFiles::Load(dir_.path());
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    files_ = *files;
  }
  test::TempDir dir_;
  std::shared_ptr<const StaticFiles> files_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  EXPECT_EQ(files_->file_count(), 3u);
  Response js = files_->Serve(Get("/assets/index-abc123.js"));
  EXPECT_EQ(js.status, 200u);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(HeaderOf(js, "Cache-Control").find("immutable"), std::string::npos);
  Response svg = files_->Serve(Get("/favicon.svg"));
  EXPECT_EQ(svg.content_type, "image/svg+xml");
  EXPECT_EQ(HeaderOf(svg, "Cache-Control"), "no-cache");
  EXPECT_NE(HeaderOf(svg, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(HeaderOf(svg, "X-Frame-Options"), "DENY");
}

TEST_F(StaticFilesTest, ClientRoutesGetIndexButApiPathsDoNot) {
  for (const char* path : {"/", "/search", "/trace/0123", "/settings/keys"}) {
    Response r = files_->Serve(Get(path));
    EXPECT_EQ(r.status, 200u) << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
  }
  Response missing_asset = files_->Serve(Get("/assets/gone.js"));
  EXPECT_EQ(HeaderOf(missing_asset, "Cache-Control"), "no-cache") << "a fallback is never cached for a year";
  Response api = files_->Serve(Get("/api/nope"));
  EXPECT_EQ(api.status, 404u);
  EXPECT_NE(api.body.find("no such API route"), std::string::npos);
}

TEST_F(StaticFilesTest, MountedRoutesLoseToLiteralApiRoutes) {
  Router router;
  router.Add(Method::kGet, "/api/me", [](Request&) { return Response::Json(200, "{\"me\":1}"); });
  StaticFiles::Mount(files_, &router);
  Request me = Get("/api/me");
  Router::Match m = router.Find(me);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/me");
  Request page = Get("/dashboards/3");
  m = router.Find(page);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/*path");
}

TEST(StaticFilesLoadTest, DirectoryWithoutIndexIsNotFound) {
  test::TempDir dir;
  auto files = StaticFiles::Load(dir.path());
  EXPECT_EQ(files.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(StaticFiles::Load(dir.path() + "/nonexistent").status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace otelstack::http
