// Shared helpers for the doctor tests: a clean environment (no OTELSTACK_*
// secrets leaking in from the shell), a strong session secret, file writers
// with modes, and a self-signed certificate with a chosen expiry.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "doctor/check.h"

namespace otelstack::doctor::testing {

inline constexpr char kStrongSecret[] = "3f9a1c0d7be24e58a6c1f0e9d2b7a4c83e5f6a7b8c9d0e1f2a3b4c5d6e7f8091";

inline void ClearDoctorEnvironment() {
  for (const char* name :
       {"OTELSTACK_SESSION_SECRET", "EXPRESS_SESSION_SECRET", "OTELSTACK_ENCRYPTION_KEY", "OTELSTACK_INGESTION_KEY",
        "OTELSTACK_CLICKHOUSE_PASSWORD", "OTELSTACK_CLICKHOUSE_QUERY_PASSWORD"}) {
    ::unsetenv(name);
    ::unsetenv((std::string(name) + "_FILE").c_str());
  }
}

inline void WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path) << text;
  ::chmod(path.c_str(), mode);
}

// A self-signed EC certificate valid from now for `days` (negative: already
// expired), written as PEM to `path`.
inline bool WriteCertificate(const std::string& path, long days) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), days < 0 ? days * 2 * 86400 : 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), days * 86400 + (days >= 0 ? 3600 : 0));
  X509_set_pubkey(cert, key);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(cert));
  bool ok = X509_sign(cert, key, EVP_sha256()) > 0;
  FILE* file = std::fopen(path.c_str(), "w");
  ok = ok && file != nullptr && PEM_write_X509(file, cert) == 1;
  if (file != nullptr) std::fclose(file);
  X509_free(cert);
  EVP_PKEY_free(key);
  return ok;
}

inline const CheckResult* Find(const std::vector<CheckResult>& results, const std::string& id) {
  for (const CheckResult& r : results) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

// The status of check `id`, or "missing".
inline std::string StatusOf(const std::vector<CheckResult>& results, const std::string& id) {
  const CheckResult* r = Find(results, id);
  return r ? std::string(CheckStatusName(r->status)) : "missing";
}

}  // namespace otelstack::doctor::testing
