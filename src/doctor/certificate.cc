#include "doctor/certificate.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

namespace otelstack::doctor {

StatusOr<std::chrono::system_clock::time_point> CertificateNotAfter(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return Status::FromErrno("open " + path, errno);
  X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (cert == nullptr) return Status::InvalidArgument(path + " holds no PEM certificate");
  struct tm tm {};
  const bool ok = ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1;
  X509_free(cert);
  if (!ok) return Status::InvalidArgument(path + ": unreadable notAfter date");
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

int64_t DaysUntil(std::chrono::system_clock::time_point not_after, std::chrono::system_clock::time_point now) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(not_after - now).count();
  int64_t days = seconds / 86400;
  if (seconds < 0 && seconds % 86400 != 0) --days;  // floor
  return days;
}

}  // namespace otelstack::doctor
