#include "bench/vocab.h"

#include <cmath>
#include <cstdio>

namespace otelstack::bench {

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = {
      {"GET", "/api/v1/products"},
      {"GET", "/api/v1/products/{id}"},
      {"GET", "/api/v1/products/{id}/reviews"},
      {"GET", "/api/v1/search"},
      {"GET", "/api/v1/cart"},
      {"POST", "/api/v1/cart/items"},
      {"DELETE", "/api/v1/cart/items/{id}"},
      {"POST", "/api/v1/checkout"},
      {"GET", "/api/v1/orders"},
      {"GET", "/api/v1/orders/{id}"},
      {"POST", "/api/v1/orders"},
      {"PUT", "/api/v1/orders/{id}/status"},
      {"POST", "/api/v1/payments"},
      {"GET", "/api/v1/payments/{id}"},
      {"POST", "/api/v1/auth/login"},
      {"POST", "/api/v1/auth/refresh"},
      {"POST", "/api/v1/auth/logout"},
      {"GET", "/api/v1/users/{id}"},
      {"PATCH", "/api/v1/users/{id}"},
      {"GET", "/api/v1/users/{id}/addresses"},
      {"GET", "/api/v1/recommendations"},
      {"GET", "/api/v1/shipping/quote"},
      {"POST", "/api/v1/shipments"},
      {"GET", "/api/v1/inventory/{id}"},
      {"POST", "/internal/events"},
      {"GET", "/healthz"},
      {"GET", "/metrics"},
  };
  return routes;
}

const std::vector<std::string>& ErrorMessages() {
  static const std::vector<std::string> v = {
      "connection refused",
      "context deadline exceeded",
      "i/o timeout",
      "no such host",
      "deadlock detected",
      "duplicate key value violates unique constraint \"orders_pkey\"",
      "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"name\" is null",
      "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
      "unexpected EOF",
      "too many open files",
      "permission denied",
      "invalid token signature",
      "rate limit exceeded",
      "could not serialize access due to concurrent update",
      "broken pipe",
      "card declined: insufficient funds",
      "TimeoutError: operation timed out after 5000ms",
      "KeyError: 'customer_id'",
  };
  return v;
}

const std::vector<std::string>& ErrorTypes() {
  static const std::vector<std::string> v = {
      "java.net.ConnectException",       "java.lang.NullPointerException",
      "context.DeadlineExceeded",        "TimeoutError",
      "psycopg2.errors.UniqueViolation", "System.InvalidOperationException",
      "io.grpc.StatusRuntimeException",  "KeyError",
  };
  return v;
}

const std::vector<std::string>& Tables() {
  static const std::vector<std::string> v = {"orders",   "order_items", "users", "products",  "inventory", "payments",
                                             "sessions", "addresses",   "carts", "shipments", "invoices",  "reviews"};
  return v;
}

const std::vector<std::string>& Topics() {
  static const std::vector<std::string> v = {"orders.created",      "orders.updated",       "payments.authorized",
                                             "inventory.reserved",  "shipments.dispatched", "users.signup",
                                             "notifications.email", "audit.events"};
  return v;
}

const std::vector<std::string>& Functions() {
  static const std::vector<std::string> v = {
      "OrderService.createOrder",    "PaymentHandler.authorize", "CartController.addItem",
      "InventoryRepository.reserve", "handle_request",           "process_batch",
      "UserService.findById",        "ShippingClient.quote",     "render_template",
      "TokenValidator.validate",     "PriceEngine.compute",      "EventConsumer.onMessage",
  };
  return v;
}

const std::vector<std::string>& Regions() {
  static const std::vector<std::string> v = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"};
  return v;
}

const std::vector<std::string>& FeatureFlags() {
  static const std::vector<std::string> v = {"new-checkout-flow", "recommendations-v2", "fast-shipping-banner",
                                             "dark-mode", "paypal-express"};
  return v;
}

std::string FillPath(const char* pattern, Rng* rng) {
  std::string out;
  for (const char* p = pattern; *p; ++p) {
    if (p[0] == '{' && p[1] == 'i' && p[2] == 'd' && p[3] == '}') {
      out += std::to_string(rng->Range(1000, 999999));
      p += 3;
    } else {
      out.push_back(*p);
    }
  }
  return out;
}

std::string RandomIp(Rng* rng) {
  return "10." + std::to_string(rng->Range(0, 31)) + "." + std::to_string(rng->Range(0, 255)) + "." +
         std::to_string(rng->Range(2, 254));
}

int StatusForSeverity(int severity_number, Rng* rng) {
  static const int kOk[] = {200, 200, 200, 200, 200, 200, 201, 204, 304};
  static const int kClientError[] = {400, 401, 403, 404, 404, 409, 422, 429};
  static const int kServerError[] = {500, 500, 502, 503, 504};
  if (severity_number >= 17) return kServerError[rng->Uniform(std::size(kServerError))];
  if (severity_number >= 13) return kClientError[rng->Uniform(std::size(kClientError))];
  return kOk[rng->Uniform(std::size(kOk))];
}

std::string UserId(Rng* rng) {
  // 20% of the traffic comes from 100 heavy users.
  uint64_t id = rng->Chance(0.2) ? rng->Range(1, 100) : rng->Range(1, 100000);
  return "user-" + std::to_string(id);
}

std::string Money(Rng* rng) {
  double v = rng->LogNormal(45.0, 0.9);
  return FormatFixed(v, 2);
}

std::string FormatFixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

}  // namespace otelstack::bench
