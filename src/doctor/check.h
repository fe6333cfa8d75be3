// The result of one `otelstack doctor` check, and what a list of them means.
//
// Every check has a stable id (e.g. "ports.plaintext", used by scripts and
// by docs/production.md), a title, a status, a detail saying what was found
// and, for WARN and FAIL, a fix saying what to do. SKIP says in `detail` why
// the check did not apply (e.g. "no ClickHouse configured"). Details and
// fixes never contain a secret value: they name variables and files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace otelstack::doctor {

enum class CheckStatus { kPass, kWarn, kFail, kSkip };

std::string_view CheckStatusName(CheckStatus status);  // "PASS", "WARN", "FAIL", "SKIP"

struct CheckResult {
  std::string id;
  std::string title;
  CheckStatus status = CheckStatus::kPass;
  std::string detail;
  std::string fix;  // empty for PASS and SKIP
};

CheckResult Pass(std::string id, std::string title, std::string detail);
CheckResult Warn(std::string id, std::string title, std::string detail, std::string fix);
CheckResult Fail(std::string id, std::string title, std::string detail, std::string fix);
CheckResult Skip(std::string id, std::string title, std::string why);

struct Summary {
  int pass = 0, warn = 0, fail = 0, skip = 0;
};
Summary Summarize(const std::vector<CheckResult>& results);

// 1 when any check FAILs, else 0 (bad usage, 2, is the command's business).
int ExitCodeFor(const std::vector<CheckResult>& results);

}  // namespace otelstack::doctor
