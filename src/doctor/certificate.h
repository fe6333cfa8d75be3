// Reading a PEM certificate file's expiry, for checks that warn before a
// certificate runs out.
#pragma once

#include <chrono>
#include <string>

#include "common/status.h"

namespace otelstack::doctor {

// Certificates expiring sooner than this get a WARN.
inline constexpr int kCertificateWarnDays = 14;

// The notAfter of the first certificate in `path` (PEM). IOError when the
// file cannot be read, InvalidArgument when it holds no PEM certificate.
StatusOr<std::chrono::system_clock::time_point> CertificateNotAfter(const std::string& path);

// Whole days from `now` to `not_after`, rounded down (negative: expired).
int64_t DaysUntil(std::chrono::system_clock::time_point not_after, std::chrono::system_clock::time_point now);

}  // namespace otelstack::doctor
