#include "http/message.h"

#include <gtest/gtest.h>

#include "http/url.h"

namespace otelstack::http {
namespace {

TEST(RequestTest, HeadersMatchAnyCaseFirstWins) {
  Request request;
  request.headers = {{"Content-Type", "application/json"}, {"X-Thing", "1"}, {"x-thing", "2"}};
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(request.Header("x-THING"), "1");
  EXPECT_EQ(request.Header("missing"), std::nullopt);
}

TEST(RequestTest, CookiesFromOneOrSeveralHeaders) {
  Request request;
  request.headers = {{"Cookie", "a=b; session=abc123;theme = dark "},
                     {"Host", "x"},
                     {"cookie", "later=\"quoted value\"; flag; session=shadowed"}};
  EXPECT_EQ(request.Cookie("a"), "b");
  EXPECT_EQ(request.Cookie("session"), "abc123");  // the first occurrence wins
  EXPECT_EQ(request.Cookie("theme"), "dark");
  EXPECT_EQ(request.Cookie("later"), "quoted value");
  EXPECT_EQ(request.Cookie("flag"), std::nullopt);  // not a name=value pair
  EXPECT_EQ(request.Cookie("sess"), std::nullopt);  // no prefix matching
  EXPECT_EQ(request.Cookie("Host"), std::nullopt);  // other headers are not cookies
}

TEST(RequestTest, CookieValuesMayBeEmptyOrContainEquals) {
  Request request;
  request.headers = {{"Cookie", "empty=; token=a=b=="}};
  EXPECT_EQ(request.Cookie("empty"), "");
  EXPECT_EQ(request.Cookie("token"), "a=b==");
}

TEST(RequestTest, QueryAndPathParams) {
  Request request;
  request.query = {{"q", "first"}, {"q", "second"}, {"empty", ""}};
  request.path_params = {{"id", "42"}};
  EXPECT_EQ(request.QueryParam("q"), "first");
  EXPECT_EQ(request.QueryParam("empty"), "");
  EXPECT_EQ(request.QueryParam("nope"), std::nullopt);
  EXPECT_EQ(request.PathParam("id"), "42");
  EXPECT_EQ(request.PathParam("other"), "");
}

TEST(RequestTest, CancelledFlagStartsFalse) {
  Request request;
  ASSERT_NE(request.cancelled, nullptr);
  EXPECT_FALSE(request.cancelled->load());
}

TEST(ResponseTest, ErrorIsEscapedJson) {
  Response response = Response::Error(404, "no \"such\" thing\n\\ here");
  EXPECT_EQ(response.status, 404u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"error":"no \"such\" thing\n\\ here"})");
  EXPECT_EQ(Response::Error(500, std::string("a\x01", 2)).body, R"({"error":"a\u0001"})");
}

TEST(ResponseTest, JsonAndHeaders) {
  Response response = Response::Json(201, R"({"id":1})").WithHeader("Location", "/items/1");
  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"id":1})");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0], (std::pair<std::string, std::string>{"Location", "/items/1"}));
}

TEST(MethodTest, Names) {
  EXPECT_EQ(MethodName(Method::kGet), "GET");
  EXPECT_EQ(MethodName(Method::kHead), "HEAD");
  EXPECT_EQ(MethodName(Method::kPost), "POST");
  EXPECT_EQ(MethodName(Method::kPut), "PUT");
  EXPECT_EQ(MethodName(Method::kPatch), "PATCH");
  EXPECT_EQ(MethodName(Method::kDelete), "DELETE");
  EXPECT_EQ(MethodName(Method::kOptions), "OPTIONS");
}

TEST(UrlTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%e2%82%AC", false), "\xe2\x82\xac");
  EXPECT_EQ(PercentDecode("%00", false), std::string("\0", 1));
  EXPECT_EQ(PercentDecode("bad%2", false), std::nullopt);
  EXPECT_EQ(PercentDecode("bad%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("bad%zz", false), std::nullopt);
}

TEST(UrlTest, ParseTarget) {
  auto parsed = ParseTarget("/api/v2/a%20b?q=x+y&limit=10&&flag&enc=%26%3D");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->path, "/api/v2/a b");
  std::vector<std::pair<std::string, std::string>> expected = {
      {"q", "x y"}, {"limit", "10"}, {"flag", ""}, {"enc", "&="}};
  EXPECT_EQ(parsed->query, expected);

  auto plain = ParseTarget("/");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->path, "/");
  EXPECT_TRUE(plain->query.empty());

  EXPECT_FALSE(ParseTarget("http://example.com/"));
  EXPECT_FALSE(ParseTarget("*"));
  EXPECT_FALSE(ParseTarget(""));
  EXPECT_FALSE(ParseTarget("/a%zz"));
  EXPECT_FALSE(ParseTarget("/a?x=%"));
}

}  // namespace
}  // namespace otelstack::http
