#include "doctor/report.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace otelstack::doctor {
namespace {

std::vector<CheckResult> Sample() {
  return {Pass("a.one", "First", "fine"), Warn("b.two", "Second", "meh", "do this"),
          Fail("c.three", "Third", "bad", "do that"), Skip("d.four", "Fourth", "not configured")};
}

TEST(ReportTest, TableHasFixLinesForWarnAndFail) {
  std::string table = RenderTable(Sample());
  EXPECT_NE(table.find("PASS  a.one    First: fine\n"), std::string::npos) << table;
  EXPECT_NE(table.find("fix: do this"), std::string::npos);
  EXPECT_NE(table.find("fix: do that"), std::string::npos);
  EXPECT_NE(table.find("1 passed, 1 warnings, 1 failed, 1 skipped"), std::string::npos);
}

TEST(ReportTest, JsonHasEveryCheckAndASummary) {
  rapidjson::Document doc;
  doc.Parse(RenderJson(Sample()).c_str());
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_EQ(doc["checks"].Size(), 4u);
  EXPECT_STREQ(doc["checks"][2]["id"].GetString(), "c.three");
  EXPECT_STREQ(doc["checks"][2]["status"].GetString(), "FAIL");
  EXPECT_STREQ(doc["checks"][2]["fix"].GetString(), "do that");
  EXPECT_EQ(doc["summary"]["fail"].GetInt(), 1);
  EXPECT_FALSE(doc["ok"].GetBool());
}

TEST(ReportTest, ExitCode) {
  EXPECT_EQ(ExitCodeFor(Sample()), 1);
  EXPECT_EQ(ExitCodeFor({Pass("a", "A", ""), Warn("b", "B", "", "")}), 0);
}

}  // namespace
}  // namespace otelstack::doctor
