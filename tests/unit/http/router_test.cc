#include "http/router.h"

#include <gtest/gtest.h>

namespace otelstack::http {
namespace {

// A handler that answers with its own name, to tell routes apart.
Handler Named(std::string name) {
  return [name](Request&) { return Response::Json(200, name); };
}

std::string Call(const Router::Match& match, Request& request) {
  if (match.route == nullptr) return "<none>";
  return std::get<Handler>(match.route->handler)(request).body;
}

Request Make(Method method, std::string path) {
  Request request;
  request.method = method;
  request.path = std::move(path);
  return request;
}

TEST(RouterTest, LiteralBeatsParamBeatsRestWhateverTheOrder) {
  Router router;
  router.Add(Method::kGet, "/api/*rest", Named("rest"));
  router.Add(Method::kGet, "/api/users/:id", Named("param"));
  router.Add(Method::kGet, "/api/users/me", Named("literal"));

  Request me = Make(Method::kGet, "/api/users/me");
  EXPECT_EQ(Call(router.Find(me), me), "literal");
  EXPECT_TRUE(me.path_params.empty());

  Request user = Make(Method::kGet, "/api/users/42");
  EXPECT_EQ(Call(router.Find(user), user), "param");
  EXPECT_EQ(user.PathParam("id"), "42");

  Request other = Make(Method::kGet, "/api/teams/7/members");
  EXPECT_EQ(Call(router.Find(other), other), "rest");
  EXPECT_EQ(other.PathParam("rest"), "teams/7/members");
}

TEST(RouterTest, FirstDifferingSegmentDecides) {
  Router router;
  router.Add(Method::kGet, "/a/:x/c", Named("param-then-literal"));
  router.Add(Method::kGet, "/a/b/:y", Named("literal-then-param"));
  Request request = Make(Method::kGet, "/a/b/c");
  EXPECT_EQ(Call(router.Find(request), request), "literal-then-param");
  EXPECT_EQ(request.PathParam("y"), "c");
  EXPECT_EQ(request.PathParam("x"), "");
}

TEST(RouterTest, ParamNeedsNonEmptySegmentAndTrailingSlashMatters) {
  Router router;
  router.Add(Method::kGet, "/api/me", Named("me"));
  router.Add(Method::kGet, "/items/:id", Named("item"));

  Request slash = Make(Method::kGet, "/api/me/");
  EXPECT_EQ(router.Find(slash).route, nullptr);
  Request empty_param = Make(Method::kGet, "/items/");
  EXPECT_EQ(router.Find(empty_param).route, nullptr);
  Request too_deep = Make(Method::kGet, "/items/1/2");
  EXPECT_EQ(router.Find(too_deep).route, nullptr);
  Request ok = Make(Method::kGet, "/api/me");
  EXPECT_EQ(Call(router.Find(ok), ok), "me");
}

TEST(RouterTest, RestMayBeEmptyButNeedsItsSlash) {
  Router router;
  router.Add(Method::kGet, "/ui/*path", Named("ui"));
  Request root = Make(Method::kGet, "/ui/");
  EXPECT_EQ(Call(router.Find(root), root), "ui");
  EXPECT_EQ(root.PathParam("path"), "");
  Request no_slash = Make(Method::kGet, "/ui");
  EXPECT_EQ(router.Find(no_slash).route, nullptr);
  Request deep = Make(Method::kGet, "/ui/assets/app.js");
  EXPECT_EQ(Call(router.Find(deep), deep), "ui");
  EXPECT_EQ(deep.PathParam("path"), "assets/app.js");

  Router catch_all;
  catch_all.Add(Method::kGet, "/*path", Named("all"));
  Request slash = Make(Method::kGet, "/");
  EXPECT_EQ(Call(catch_all.Find(slash), slash), "all");
}

TEST(RouterTest, WrongMethodReportsAllowedMethodsSorted) {
  Router router;
  router.Add(Method::kPut, "/items/:id", Named("put"));
  router.Add(Method::kGet, "/items/:id", Named("get"));
  router.Add(Method::kDelete, "/items/:id", Named("delete"));
  router.Add(Method::kPost, "/other", Named("post"));

  Request request = Make(Method::kPost, "/items/3");
  Router::Match match = router.Find(request);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.other_method_matches);
  EXPECT_EQ(match.allowed, (std::vector<std::string>{"DELETE", "GET", "PUT"}));

  Request missing = Make(Method::kGet, "/nothing");
  match = router.Find(missing);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_FALSE(match.other_method_matches);
  EXPECT_TRUE(match.allowed.empty());
}

TEST(RouterTest, AddingTheSameRouteTwiceReplacesIt) {
  Router router;
  router.Add(Method::kGet, "/x", Named("first"));
  router.Add(Method::kGet, "/x", Named("second"));
  EXPECT_EQ(router.routes().size(), 1u);
  Request request = Make(Method::kGet, "/x");
  EXPECT_EQ(Call(router.Find(request), request), "second");
}

TEST(RouterTest, AsyncRoutesAreFound) {
  Router router;
  router.AddAsync(Method::kPost, "/v1/logs", [](Request&, Responder respond) { respond(Response::Json(200, "{}")); });
  Request request = Make(Method::kPost, "/v1/logs");
  Router::Match match = router.Find(request);
  ASSERT_NE(match.route, nullptr);
  EXPECT_TRUE(std::holds_alternative<AsyncHandler>(match.route->handler));
}

TEST(RouterTest, TraversalAndNulAreRejected) {
  Router router;
  router.Add(Method::kGet, "/files/*path", Named("files"));
  router.Add(Method::kGet, "/:name", Named("name"));
  for (std::string path : std::vector<std::string>{"/files/../secret", "/files/a/..", "/..",
                                                   std::string("/files/a\0b", 10), "", "relative"}) {
    Request request = Make(Method::kGet, path);
    Router::Match match = router.Find(request);
    EXPECT_TRUE(match.bad_path) << path;
    EXPECT_EQ(match.route, nullptr) << path;
  }
  // Dots inside a name are fine.
  Request dotted = Make(Method::kGet, "/files/a..b/.hidden");
  EXPECT_EQ(Call(router.Find(dotted), dotted), "files");
  EXPECT_EQ(dotted.PathParam("path"), "a..b/.hidden");
}

}  // namespace
}  // namespace otelstack::http
