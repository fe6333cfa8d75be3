// Doctor checks for what lives in the data directory.
//
//   retention            WARN while every signal keeps the 3-day default
//                        (no flag, variable or config value, no override in
//                        meta.db); PASS otherwise. Both list the effective
//                        value of each signal and where it comes from.
//   datadir.permissions  the data directory is 0700 and nothing under it
//                        (meta.db, master.key, session.secret, WAL segments,
//                        parts...) is accessible by group or others: FAIL
//                        listing the first offenders; WARN when it is owned
//                        by another user than the one running doctor; PASS
//                        when it does not exist yet (created 0700).
#pragma once

#include <string>

#include "doctor/check.h"
#include "doctor/meta_facts.h"
#include "server/server.h"

namespace otelstack::doctor {

CheckResult CheckRetention(const server::ServerOptions& options, const MetaFacts& meta);
CheckResult CheckDataDirPermissions(const std::string& data_dir);

}  // namespace otelstack::doctor
