// Rendering doctor results for people (a table) and for scripts (JSON).
//
// Table: one line per check, "STATUS  id  title: detail", and for WARN and
// FAIL an indented "fix: ..." line; then a summary line.
// JSON: {"checks": [{"id","status","title","detail","fix"}...],
//        "summary": {"pass","warn","fail","skip"}, "ok": bool}
// where "ok" is true when nothing FAILs (the exit status is 0).
#pragma once

#include <string>
#include <vector>

#include "doctor/check.h"

namespace otelstack::doctor {

std::string RenderTable(const std::vector<CheckResult>& results);
std::string RenderJson(const std::vector<CheckResult>& results);

}  // namespace otelstack::doctor
