#include "api/config_routes.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "api/connection_model.h"
#include "api/json_body.h"
#include "config_fixture.h"

namespace otelstack::api {
namespace {

using http::Method;
using meta::DocumentKind;

constexpr char kPassword[] = "Sup3r-Secret-Pa55word-77";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A 127.0.0.1 port with nothing listening (bound, then released).
int RefusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class ConfigRoutesTest : public ConfigFixture {
 protected:
  std::string EmbeddedId() {
    auto doc = Json(Call(Method::kGet, "/api/connections", admin_));
    for (const auto& c : doc["data"].GetArray()) {
      if (Str(c, "kind") == "embedded") return Str(c, "id");
    }
    return "";
  }

  std::string CreateClickHouse(const std::string& name, const std::string& extra = "") {
    auto r = Call(Method::kPost, "/api/connections", admin_,
                  R"({"name":")" + name + R"(","url":"https://ch.example.com:8443","username":"reader")" + extra + "}");
    EXPECT_EQ(r.status, 200u) << r.body;
    return Str(Json(r), "id");
  }
};

TEST_F(ConfigRoutesTest, RoutesDeclareAccessAndRoles) {
  for (const Route& route : routes_) {
    SCOPED_TRACE(route.pattern);
    EXPECT_FALSE(route.summary.empty());
    if (route.pattern.rfind("/api/connections", 0) == 0) {
      EXPECT_EQ(route.access, Access::kSession);
      EXPECT_EQ(route.role, meta::Role::kAdmin);
    } else {
      EXPECT_EQ(route.access, Access::kSessionOrKey);
      bool read = route.method == Method::kGet;
      EXPECT_EQ(route.role, read ? meta::Role::kViewer : meta::Role::kEditor);
    }
  }
  EXPECT_NE(FindRoute(Method::kPost, "/api/connections/test"), nullptr);
  EXPECT_NE(FindRoute(Method::kGet, "/api/v2/dashboards/:id/export"), nullptr);
  EXPECT_NE(FindRoute(Method::kPost, "/api/v2/dashboards/import"), nullptr);
}

// --- Connections ---------------------------------------------------------

TEST_F(ConfigRoutesTest, PasswordIsSealedAndNeverReturned) {
  auto created =
      Call(Method::kPost, "/api/connections", admin_,
           std::string(R"({"name":"prod","url":"https://ch.example.com:8443","username":"reader","password":")") +
               kPassword + R"("})");
  ASSERT_EQ(created.status, 200u) << created.body;
  EXPECT_EQ(created.body.find(kPassword), std::string::npos);
  auto c = Json(created);
  EXPECT_TRUE(c["hasPassword"].GetBool());
  EXPECT_FALSE(c.HasMember("password"));
  EXPECT_EQ(Str(c, "url"), "https://ch.example.com:8443");
  EXPECT_EQ(Str(c, "kind"), "clickhouse");
  std::string id = Str(c, "id");

  auto got = Call(Method::kGet, "/api/connections/:id", admin_, "", id);
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(got.body.find(kPassword), std::string::npos);
  EXPECT_TRUE(Json(got)["hasPassword"].GetBool());
  auto list = Call(Method::kGet, "/api/connections", admin_);
  EXPECT_EQ(list.body.find(kPassword), std::string::npos);

  // Stored sealed, bound to this row, and absent from the database files.
  auto doc = meta_->documents().Get(team_, DocumentKind::kConnection, std::stoll(id));
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(doc->sealed_secret.empty());
  EXPECT_EQ(doc->json.find(kPassword), std::string::npos);
  EXPECT_EQ(*OpenConnectionPassword(services_.master_key, *doc), kPassword);
  meta::Document moved = *doc;
  moved.id += 1;
  EXPECT_FALSE(OpenConnectionPassword(services_.master_key, moved).ok());
  std::string files = ReadFile(meta_->path()) + ReadFile(meta_->path() + "-wal");
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.find(kPassword), std::string::npos);

  // PUT without a password keeps it; "" removes it.
  auto kept = Call(Method::kPut, "/api/connections/:id", admin_,
                   R"({"name":"prod2","url":"http://ch.example.com","username":"u"})", id);
  ASSERT_EQ(kept.status, 200u) << kept.body;
  EXPECT_TRUE(Json(kept)["hasPassword"].GetBool());
  EXPECT_EQ(Str(Json(kept), "name"), "prod2");
  doc = meta_->documents().Get(team_, DocumentKind::kConnection, std::stoll(id));
  EXPECT_EQ(*OpenConnectionPassword(services_.master_key, *doc), kPassword);
  auto removed = Call(Method::kPut, "/api/connections/:id", admin_,
                      R"({"name":"prod2","url":"http://ch.example.com","password":""})", id);
  ASSERT_EQ(removed.status, 200u) << removed.body;
  EXPECT_FALSE(Json(removed)["hasPassword"].GetBool());
}

TEST_F(ConfigRoutesTest, ConnectionValidation) {
  auto post = [&](const std::string& body) { return Call(Method::kPost, "/api/connections", admin_, body); };
  auto bad_scheme = post(R"({"name":"x","url":"ftp://ch:21"})");
  EXPECT_EQ(bad_scheme.status, 400u);
  EXPECT_NE(bad_scheme.body.find("url:"), std::string::npos) << bad_scheme.body;
  EXPECT_EQ(post(R"({"name":"x","url":"http://user:pw@ch:8123"})").status, 400u);
  EXPECT_EQ(post(R"({"name":"x"})").status, 400u);
  EXPECT_EQ(post(R"({"url":"http://ch"})").status, 400u);
  EXPECT_EQ(post(R"({"name":"x","url":"http://ch","kind":"embedded"})").status, 400u);
  EXPECT_EQ(post("not json").status, 400u);
  EXPECT_EQ(post(std::string(2 << 20, ' ')).status, 413u);
  // HyperDX's "host" is accepted for the URL.
  EXPECT_EQ(post(R"({"name":"hx","host":"http://ch:8123"})").status, 200u);
  EXPECT_EQ(post(R"({"name":"hx","url":"http://ch:8123"})").status, 409u);  // name taken
  EXPECT_EQ(post(R"({"name":"Embedded","url":"http://ch:8123"})").status, 409u);
}

TEST_F(ConfigRoutesTest, EmbeddedConnectionIsImmutable) {
  std::string id = EmbeddedId();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Call(Method::kPut, "/api/connections/:id", admin_, R"({"name":"E","url":"http://ch"})", id).status, 409u);
  EXPECT_EQ(Call(Method::kDelete, "/api/connections/:id", admin_, "", id).status, 409u);
  EXPECT_EQ(Call(Method::kGet, "/api/connections/:id", admin_, "", id).status, 200u);
}

TEST_F(ConfigRoutesTest, ConnectionInUseCannotBeDeleted) {
  std::string id = CreateClickHouse("remote");
  auto source = Call(Method::kPost, "/api/v2/sources", editor_,
                     R"({"name":"Remote logs","kind":"log","connection":")" + id +
                         R"(","from":{"databaseName":"default","tableName":"otel_logs"}})");
  ASSERT_EQ(source.status, 200u) << source.body;
  auto refused = Call(Method::kDelete, "/api/connections/:id", admin_, "", id);
  EXPECT_EQ(refused.status, 409u);
  EXPECT_NE(refused.body.find("Remote logs"), std::string::npos) << refused.body;
  ASSERT_EQ(Call(Method::kDelete, "/api/v2/sources/:id", editor_, "", Str(Json(source), "id")).status, 200u);
  EXPECT_EQ(Call(Method::kDelete, "/api/connections/:id", admin_, "", id).status, 200u);
  EXPECT_EQ(Call(Method::kGet, "/api/connections/:id", admin_, "", id).status, 404u);
}

TEST_F(ConfigRoutesTest, TestRouteReportsARefusedPortQuickly) {
  auto start = std::chrono::steady_clock::now();
  auto r = Call(Method::kPost, "/api/connections/test", admin_,
                R"({"url":"http://127.0.0.1:)" + std::to_string(RefusedPort()) + R"(","username":"u","password":"p"})");
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r.status, 200u) << r.body;
  auto doc = Json(r);
  EXPECT_FALSE(doc["ok"].GetBool());
  EXPECT_NE(Str(doc, "error").find("connect"), std::string::npos) << r.body;
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  EXPECT_EQ(Call(Method::kPost, "/api/connections/test", admin_, R"({"url":"file:///etc/passwd"})").status, 400u);
}

// --- Sources -------------------------------------------------------------

TEST_F(ConfigRoutesTest, AuditSourceIsForAdminsOnly) {
  std::string audit_id = SourceId(admin_, "Audit");
  ASSERT_FALSE(audit_id.empty());
  EXPECT_EQ(SourceId(viewer_, "Audit"), "");
  EXPECT_EQ(SourceId(editor_, "Audit"), "");
  EXPECT_NE(SourceId(viewer_, "Logs"), "");
  EXPECT_EQ(Call(Method::kGet, "/api/v2/sources/:id", viewer_, "", audit_id).status, 404u);
  EXPECT_EQ(Call(Method::kGet, "/api/v2/sources/:id", admin_, "", audit_id).status, 200u);
  EXPECT_EQ(Call(Method::kDelete, "/api/v2/sources/:id", editor_, "", audit_id).status, 404u);
  auto create = Call(Method::kPost, "/api/v2/sources", editor_,
                     R"({"name":"Sneaky","kind":"log","connection":")" + EmbeddedId() +
                         R"(","from":{"tableName":"otelstack_audit"}})");
  EXPECT_EQ(create.status, 403u) << create.body;
}

TEST_F(ConfigRoutesTest, SourceValidation) {
  std::string embedded = EmbeddedId();
  auto post = [&](const std::string& kind, const std::string& table, const std::string& connection,
                  const std::string& extra = "") {
    return Call(Method::kPost, "/api/v2/sources", editor_,
                R"({"name":"S","kind":")" + kind + R"(","connection":")" + connection +
                    R"(","from":{"databaseName":"default","tableName":")" + table + R"("})" + extra + "}");
  };
  auto mismatch = post("log", "otel_traces", embedded);
  EXPECT_EQ(mismatch.status, 400u);
  EXPECT_NE(mismatch.body.find("from.tableName"), std::string::npos) << mismatch.body;
  EXPECT_EQ(post("trace", "otel_logs", embedded).status, 400u);
  EXPECT_EQ(post("metric", "otel_metric", embedded).status, 400u);
  auto session = post("session", "otel_logs", embedded);
  EXPECT_EQ(session.status, 400u);
  EXPECT_NE(session.body.find("not supported"), std::string::npos) << session.body;
  auto no_connection = post("log", "otel_logs", "999");
  EXPECT_EQ(no_connection.status, 400u);
  EXPECT_NE(no_connection.body.find("connection"), std::string::npos);
  // Links must point at a source of the right kind.
  std::string logs = SourceId(editor_, "Logs");
  std::string traces = SourceId(editor_, "Traces");
  EXPECT_EQ(post("log", "otel_logs", embedded, R"(,"traceSourceId":")" + logs + "\"").status, 400u);
  EXPECT_EQ(post("log", "otel_logs", embedded, R"(,"traceSourceId":"424242")").status, 400u);
  auto ok = post("log", "otel_logs", embedded, R"(,"traceSourceId":")" + traces + "\"");
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(Str(Json(ok), "traceSourceId"), traces);
  EXPECT_EQ(post("log", "otel_logs", embedded).status, 409u);  // the name S is taken
  // A ClickHouse connection takes any table name.
  std::string remote = CreateClickHouse("remote");
  auto any = Call(Method::kPost, "/api/v2/sources", editor_,
                  R"({"name":"Sessions","kind":"session","connection":")" + remote +
                      R"(","from":{"databaseName":"default","tableName":"hyperdx_sessions"}})");
  EXPECT_EQ(any.status, 200u) << any.body;
}

// Column expressions are checked when a source is saved: each field must be
// one its kind maps, and a single SQL expression.
TEST_F(ConfigRoutesTest, SourceExpressionValidation) {
  std::string remote = CreateClickHouse("remote");
  auto post = [&](const std::string& name, const std::string& kind, const std::string& expressions) {
    return Call(Method::kPost, "/api/v2/sources", editor_,
                R"js({"name":")js" + name + R"js(","kind":")js" + kind + R"js(","connection":")js" + remote +
                    R"js(","from":{"databaseName":"app","tableName":"app_logs"})js" + expressions + "}");
  };
  auto ok = post("Mapped", "log",
                 R"js(,"timestampValueExpression":"ts","bodyExpression":"msg","severityTextExpression":"upper(lvl)",)js"
                 R"js("eventAttributesExpression":"(attrs_k, attrs_v)","defaultTableSelectExpression":"ts, msg")js");
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(Str(Json(ok), "severityTextExpression"), "upper(lvl)");

  auto hostile = post("H", "log", R"js(,"bodyExpression":"msg FROM system.users")js");
  EXPECT_EQ(hostile.status, 400u);
  EXPECT_NE(hostile.body.find("bodyExpression"), std::string::npos) << hostile.body;
  EXPECT_NE(hostile.body.find("FROM"), std::string::npos) << hostile.body;
  EXPECT_EQ(post("H", "log", R"js(,"serviceNameExpression":"svc; DROP TABLE x")js").status, 400u);
  EXPECT_EQ(post("H", "log", R"js(,"serviceNameExpression":"(SELECT 1)")js").status, 400u);

  auto wrong_kind = post("W", "log", R"js(,"durationExpression":"d")js");
  EXPECT_EQ(wrong_kind.status, 400u);
  EXPECT_NE(wrong_kind.body.find("durationExpression: a log source has no such column mapping"), std::string::npos)
      << wrong_kind.body;
  EXPECT_EQ(post("W", "trace", R"js(,"bodyExpression":"b")js").status, 400u);
  EXPECT_EQ(post("T", "trace", R"js(,"durationExpression":"duration_ms","durationPrecision":3)js").status, 200u);
}

TEST_F(ConfigRoutesTest, SourceUpdateAndDelete) {
  std::string logs = SourceId(editor_, "Logs");
  auto got = Call(Method::kGet, "/api/v2/sources/:id", viewer_, "", logs);
  ASSERT_EQ(got.status, 200u);
  auto source = Json(got);
  source["name"].SetString("Application logs");
  std::string body = ToJson(source);
  auto updated = Call(Method::kPut, "/api/v2/sources/:id", editor_, body, logs);
  ASSERT_EQ(updated.status, 200u) << updated.body;
  EXPECT_EQ(Str(Json(updated), "id"), logs);
  EXPECT_EQ(SourceId(viewer_, "Application logs"), logs);
  EXPECT_EQ(Call(Method::kPut, "/api/v2/sources/:id", editor_, body, "777777").status, 404u);
  EXPECT_EQ(Call(Method::kGet, "/api/v2/sources/:id", viewer_, "", "abc").status, 400u);

  // Deleting a linked source leaves the link dangling (documented choice).
  ASSERT_EQ(Call(Method::kDelete, "/api/v2/sources/:id", editor_, "", logs).status, 200u);
  EXPECT_EQ(Call(Method::kGet, "/api/v2/sources/:id", viewer_, "", logs).status, 404u);
  auto traces = Json(Call(Method::kGet, "/api/v2/sources/:id", viewer_, "", SourceId(viewer_, "Traces")));
  EXPECT_EQ(Str(traces, "logSourceId"), logs);
}

TEST_F(ConfigRoutesTest, EverythingIsScopedToTheTeam) {
  int64_t other_team = CreateOtherTeam();
  ASSERT_GT(other_team, team_);
  meta::User outsider = MakeUser(other_team, "outsider@example.com", meta::Role::kAdmin);
  ASSERT_TRUE(EnsureTeamDefaults(services_, other_team).ok());

  std::string logs = SourceId(admin_, "Logs");
  std::string remote = CreateClickHouse("remote");
  auto search = Call(Method::kPost, "/api/v2/saved-searches", editor_,
                     R"({"name":"errors","sourceId":")" + logs + R"(","where":"level:error"})");
  ASSERT_EQ(search.status, 200u) << search.body;
  std::string search_id = Str(Json(search), "id");

  EXPECT_EQ(Call(Method::kGet, "/api/v2/sources/:id", outsider, "", logs).status, 404u);
  EXPECT_EQ(Call(Method::kDelete, "/api/v2/sources/:id", outsider, "", logs).status, 404u);
  EXPECT_EQ(Call(Method::kGet, "/api/connections/:id", outsider, "", remote).status, 404u);
  EXPECT_EQ(Call(Method::kDelete, "/api/connections/:id", outsider, "", remote).status, 404u);
  EXPECT_EQ(Call(Method::kGet, "/api/v2/saved-searches/:id", outsider, "", search_id).status, 404u);
  EXPECT_EQ(Call(Method::kDelete, "/api/v2/saved-searches/:id", outsider, "", search_id).status, 404u);
  // Another team's source cannot be referenced.
  auto foreign =
      Call(Method::kPost, "/api/v2/saved-searches", outsider, R"({"name":"peek","sourceId":")" + logs + R"("})");
  EXPECT_EQ(foreign.status, 400u) << foreign.body;
  auto foreign_connection =
      Call(Method::kPost, "/api/v2/sources", outsider,
           R"({"name":"peek","kind":"log","connection":")" + remote + R"(","from":{"tableName":"otel_logs"}})");
  EXPECT_EQ(foreign_connection.status, 400u) << foreign_connection.body;
  // Each team's lists hold only its own documents.
  auto lists = Json(Call(Method::kGet, "/api/v2/saved-searches", outsider));
  EXPECT_EQ(lists["data"].Size(), 0u);
  EXPECT_NE(SourceId(outsider, "Logs"), logs);
}

// --- Saved searches ------------------------------------------------------

TEST_F(ConfigRoutesTest, SavedSearchLifecycle) {
  std::string logs = SourceId(viewer_, "Logs");
  auto post = [&](const std::string& body) { return Call(Method::kPost, "/api/v2/saved-searches", editor_, body); };
  EXPECT_EQ(post(R"({"name":"x","sourceId":"424242"})").status, 400u);
  EXPECT_EQ(post(R"({"name":"x","sourceId":")" + logs + R"(","whereLanguage":"kql"})").status, 400u);
  EXPECT_EQ(post(R"({"name":"x","sourceId":")" + logs + R"(","tags":"a"})").status, 400u);
  EXPECT_EQ(post(R"({"sourceId":")" + logs + R"("})").status, 400u);
  EXPECT_EQ(post(R"({"name":"x","sourceId":)" + logs + "}").status, 400u);  // a number, not a string
  std::string audit = SourceId(admin_, "Audit");
  EXPECT_EQ(post(R"({"name":"x","sourceId":")" + audit + R"("})").status, 400u);  // editors cannot see it

  auto created = post(R"({"name":"Errors","sourceId":")" + logs +
                      R"(","where":"SeverityText:error","whereLanguage":"lucene","select":"Timestamp, Body",)"
                      R"("orderBy":"Timestamp DESC","tags":["prod"]})");
  ASSERT_EQ(created.status, 200u) << created.body;
  auto c = Json(created);
  std::string id = Str(c, "id");
  EXPECT_EQ(Str(c, "sourceId"), logs);
  EXPECT_EQ(Str(c, "where"), "SeverityText:error");
  EXPECT_EQ(Str(c, "orderBy"), "Timestamp DESC");
  ASSERT_EQ(c["tags"].Size(), 1u);

  auto got = Call(Method::kGet, "/api/v2/saved-searches/:id", viewer_, "", id);
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(got.body, created.body);
  auto updated = Call(Method::kPut, "/api/v2/saved-searches/:id", editor_,
                      R"({"name":"Errors only","sourceId":")" + logs + R"(","whereLanguage":"sql","where":"1=1"})", id);
  ASSERT_EQ(updated.status, 200u) << updated.body;
  EXPECT_EQ(Str(Json(updated), "whereLanguage"), "sql");
  auto list = Json(Call(Method::kGet, "/api/v2/saved-searches", viewer_));
  ASSERT_EQ(list["data"].Size(), 1u);
  EXPECT_EQ(Str(list["data"][0], "name"), "Errors only");
  ASSERT_EQ(Call(Method::kDelete, "/api/v2/saved-searches/:id", editor_, "", id).status, 200u);
  EXPECT_EQ(Call(Method::kGet, "/api/v2/saved-searches/:id", viewer_, "", id).status, 404u);

  auto doc = meta_->documents().List(team_, DocumentKind::kSavedSearch);
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(doc->empty());
}

TEST_F(ConfigRoutesTest, CreatedByRecordsTheCaller) {
  auto created = Call(Method::kPost, "/api/v2/dashboards", editor_, R"({"name":"D"})");
  ASSERT_EQ(created.status, 200u) << created.body;
  auto doc = meta_->documents().Get(team_, DocumentKind::kDashboard, std::stoll(Str(Json(created), "id")));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->created_by, editor_.id);
}

// --- Dashboards ----------------------------------------------------------

std::string DashboardBody(const std::string& logs, const std::string& traces) {
  return R"({"name":"Service health","tags":["svc"],"tiles":[
    {"id":"a","x":0,"y":0,"w":6,"h":3,"config":{"name":"Errors","source":")" +
         logs + R"(",
      "select":[{"aggFn":"count","valueExpression":"","aggCondition":"SeverityText:error","aggConditionLanguage":"lucene"}],
      "where":"","whereLanguage":"lucene","groupBy":"ServiceName","displayType":"line","granularity":"auto"}},
    {"id":"b","x":6,"y":0,"w":6,"h":3,"config":{"name":"p95","source":")" +
         traces + R"(",
      "select":[{"aggFn":"quantile","level":0.95,"valueExpression":"Duration","aggCondition":"","aggConditionLanguage":"sql"}],
      "where":"SpanKind = 'Server'","whereLanguage":"sql","groupBy":"","displayType":"number"}},
    {"id":"c","x":0,"y":3,"w":12,"h":2,"config":{"name":"Notes","displayType":"markdown","markdown":"# hi"}}]})";
}

TEST_F(ConfigRoutesTest, DashboardValidation) {
  std::string logs = SourceId(viewer_, "Logs");
  auto post = [&](const std::string& body) { return Call(Method::kPost, "/api/v2/dashboards", editor_, body); };
  auto bad_type = post(R"({"name":"d","tiles":[{"config":{"displayType":"pie"}}]})");
  EXPECT_EQ(bad_type.status, 400u);
  EXPECT_NE(bad_type.body.find("tiles[0]: config: displayType"), std::string::npos) << bad_type.body;
  auto bad_source = post(R"({"name":"d","tiles":[{"config":{"source":"424242"}}]})");
  EXPECT_EQ(bad_source.status, 400u);
  EXPECT_NE(bad_source.body.find("tiles[0].config.source"), std::string::npos) << bad_source.body;
  EXPECT_EQ(post(R"({"name":"d","tiles":[{"w":0,"config":{}}]})").status, 400u);
  EXPECT_EQ(post(R"({"name":"d","tiles":{}})").status, 400u);
  EXPECT_EQ(post(R"({"name":")" + std::string(201, 'n') + R"("})").status, 400u);
  std::string many = R"({"name":"d","tiles":[)";
  for (int i = 0; i <= 200; ++i) many += std::string(i ? "," : "") + R"({"config":{}})";
  EXPECT_EQ(post(many + "]}").status, 400u);
  EXPECT_EQ(post(R"({"name":"d","tiles":[{"config":{"source":")" + logs + R"("}}]})").status, 200u);
}

TEST_F(ConfigRoutesTest, DashboardExportImportRoundTrip) {
  std::string logs = SourceId(viewer_, "Logs");
  std::string traces = SourceId(viewer_, "Traces");
  auto created = Call(Method::kPost, "/api/v2/dashboards", editor_, DashboardBody(logs, traces));
  ASSERT_EQ(created.status, 200u) << created.body;
  std::string id = Str(Json(created), "id");
  EXPECT_EQ(Call(Method::kGet, "/api/v2/dashboards/:id", viewer_, "", id).body, created.body);

  auto exported = Call(Method::kGet, "/api/v2/dashboards/:id/export", viewer_, "", id);
  ASSERT_EQ(exported.status, 200u) << exported.body;
  auto e = Json(exported);
  EXPECT_EQ(e["version"].GetInt(), 1);
  EXPECT_FALSE(e.HasMember("id"));
  EXPECT_EQ(Str(e["tiles"][0]["config"], "source"), "Logs");
  EXPECT_EQ(Str(e["tiles"][1]["config"], "source"), "Traces");
  EXPECT_FALSE(e["tiles"][2]["config"].HasMember("source"));

  // Into another team: the names map to that team's own default sources.
  int64_t other_team = CreateOtherTeam();
  meta::User other = MakeUser(other_team, "other@example.com", meta::Role::kEditor);
  ASSERT_TRUE(EnsureTeamDefaults(services_, other_team).ok());
  auto imported = Call(Method::kPost, "/api/v2/dashboards/import", other, exported.body);
  ASSERT_EQ(imported.status, 200u) << imported.body;
  auto i = Json(imported);
  EXPECT_NE(Str(i, "id"), id);
  EXPECT_EQ(Str(i["tiles"][0]["config"], "source"), SourceId(other, "Logs"));
  EXPECT_EQ(Str(i["tiles"][1]["config"], "source"), SourceId(other, "Traces"));
  EXPECT_NE(SourceId(other, "Logs"), logs);
  // Exporting the import gives back the same document.
  auto again = Call(Method::kGet, "/api/v2/dashboards/:id/export", other, "", Str(i, "id"));
  EXPECT_EQ(again.body, exported.body);

  // An unknown source name is named in the 400.
  std::string renamed = exported.body;
  renamed.replace(renamed.find("\"Traces\""), 8, "\"Spans\"");
  auto unknown = Call(Method::kPost, "/api/v2/dashboards/import", other, renamed);
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_NE(unknown.body.find("Spans"), std::string::npos) << unknown.body;
  EXPECT_NE(unknown.body.find("tiles[1].config.source"), std::string::npos) << unknown.body;
  EXPECT_EQ(Call(Method::kPost, "/api/v2/dashboards/import", other, R"({"version":2,"name":"x"})").status, 400u);
  EXPECT_EQ(Call(Method::kPost, "/api/v2/dashboards/import", other, R"({"name":"x"})").status, 400u);
}

TEST_F(ConfigRoutesTest, DashboardUpdateDeleteAndDanglingSources) {
  std::string logs = SourceId(viewer_, "Logs");
  std::string traces = SourceId(viewer_, "Traces");
  auto created = Call(Method::kPost, "/api/v2/dashboards", editor_, DashboardBody(logs, traces));
  std::string id = Str(Json(created), "id");
  auto updated = Call(Method::kPut, "/api/v2/dashboards/:id", editor_, R"({"name":"Renamed","tiles":[]})", id);
  ASSERT_EQ(updated.status, 200u) << updated.body;
  EXPECT_EQ(Json(updated)["tiles"].Size(), 0u);
  ASSERT_EQ(Call(Method::kPut, "/api/v2/dashboards/:id", editor_, DashboardBody(logs, traces), id).status, 200u);

  // A deleted source dangles in the dashboard and is left out of the export.
  ASSERT_EQ(Call(Method::kDelete, "/api/v2/sources/:id", editor_, "", traces).status, 200u);
  auto got = Json(Call(Method::kGet, "/api/v2/dashboards/:id", viewer_, "", id));
  EXPECT_EQ(Str(got["tiles"][1]["config"], "source"), traces);
  auto exported = Json(Call(Method::kGet, "/api/v2/dashboards/:id/export", viewer_, "", id));
  EXPECT_FALSE(exported["tiles"][1]["config"].HasMember("source"));

  auto list = Json(Call(Method::kGet, "/api/v2/dashboards", viewer_));
  EXPECT_EQ(list["data"].Size(), 1u);
  ASSERT_EQ(Call(Method::kDelete, "/api/v2/dashboards/:id", editor_, "", id).status, 200u);
  EXPECT_EQ(Call(Method::kDelete, "/api/v2/dashboards/:id", editor_, "", id).status, 404u);
  EXPECT_EQ(Call(Method::kGet, "/api/v2/dashboards/:id/export", viewer_, "", id).status, 404u);
}

}  // namespace
}  // namespace otelstack::api
