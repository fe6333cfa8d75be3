#include "server/server_metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace otelstack::server {
namespace {

bool HasLine(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(ServerMetricsTest, QueriesAreTimedByKindAndCountedByOutcome) {
  ServerMetrics metrics;
  audit::QueryEvent fast;
  fast.kind = audit::QueryEvent::Kind::kSearch;
  fast.duration_ms = 3;
  metrics.OnQueryEvent(fast);
  audit::QueryEvent slow = fast;
  slow.duration_ms = 700;
  slow.outcome = audit::QueryEvent::Outcome::kPartial;
  metrics.OnQueryEvent(slow);
  audit::QueryEvent chart;
  chart.kind = audit::QueryEvent::Kind::kChart;
  chart.duration_ms = 20;
  chart.outcome = audit::QueryEvent::Outcome::kError;
  metrics.OnQueryEvent(chart);

  std::string text = metrics.Render();
  EXPECT_TRUE(HasLine(text, "# TYPE otelstack_query_duration_seconds histogram")) << text;
  EXPECT_TRUE(HasLine(text, "otelstack_query_duration_seconds_count{kind=\"search\"} 2")) << text;
  EXPECT_TRUE(HasLine(text, "otelstack_query_duration_seconds_bucket{kind=\"search\",le=\"0.005\"} 1")) << text;
  EXPECT_TRUE(HasLine(text, "otelstack_query_duration_seconds_bucket{kind=\"search\",le=\"0.5\"} 1")) << text;
  EXPECT_TRUE(HasLine(text, "otelstack_query_duration_seconds_bucket{kind=\"search\",le=\"1\"} 2")) << text;
  EXPECT_TRUE(HasLine(text, "otelstack_query_duration_seconds_count{kind=\"chart\"} 1")) << text;
  EXPECT_TRUE(HasLine(text, "otelstack_queries_total{kind=\"search\",outcome=\"ok\"} 1")) << text;
  EXPECT_TRUE(HasLine(text, "otelstack_queries_total{kind=\"search\",outcome=\"partial\"} 1")) << text;
  EXPECT_TRUE(HasLine(text, "otelstack_queries_total{kind=\"chart\",outcome=\"error\"} 1")) << text;
}

TEST(ServerMetricsTest, SessionEventsAreCountedByEventName) {
  ServerMetrics metrics;
  audit::SessionEvent login;
  login.kind = audit::SessionEvent::Kind::kLoginSucceeded;
  metrics.OnSessionEvent(login);
  metrics.OnSessionEvent(login);
  std::string name(audit::EventName(login.kind));
  EXPECT_TRUE(HasLine(metrics.Render(), "otelstack_session_events_total{event=\"" + name + "\"} 2"))
      << metrics.Render();
}

TEST(ServerMetricsTest, ReadinessIsExposed) {
  ServerMetrics metrics;
  EXPECT_TRUE(HasLine(metrics.Render(), "otelstack_ready 0"));
  metrics.SetReady(true);
  EXPECT_TRUE(HasLine(metrics.Render(), "otelstack_ready 1"));
}

}  // namespace
}  // namespace otelstack::server
