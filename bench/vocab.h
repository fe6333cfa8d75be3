// Vocabulary of the synthetic telemetry: HTTP routes, error messages, hosts,
// tables, topics... and small helpers that draw realistic values from them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/random.h"

namespace otelstack::bench {

struct Route {
  const char* method;
  const char* pattern;  // "/api/v1/orders/{id}": {id} is replaced by a number in paths
};

const std::vector<Route>& Routes();
const std::vector<std::string>& ErrorMessages();
const std::vector<std::string>& ErrorTypes();
const std::vector<std::string>& Tables();
const std::vector<std::string>& Topics();
const std::vector<std::string>& Functions();
const std::vector<std::string>& Regions();
const std::vector<std::string>& FeatureFlags();

// "/api/v1/orders/{id}" -> "/api/v1/orders/48213".
std::string FillPath(const char* pattern, Rng* rng);
// "10.12.3.77"
std::string RandomIp(Rng* rng);
// HTTP status for a request whose log severity is the given OTLP severity number.
int StatusForSeverity(int severity_number, Rng* rng);
// A user id from a population of ~100k users with a few heavy users.
std::string UserId(Rng* rng);
// Fixed-point decimal text with two digits, e.g. "129.90".
std::string Money(Rng* rng);
// Formats a double with `digits` decimals.
std::string FormatFixed(double v, int digits);

}  // namespace otelstack::bench
