#include "bench/fleet.h"

#include <cmath>

#include "bench/otlp_fields.h"

namespace otelstack::bench {
namespace {

const char* const kServiceNames[] = {
    "frontend",
    "api-gateway",
    "checkout",
    "cart",
    "payment",
    "payment-processor",
    "fraud-detection",
    "inventory",
    "catalog",
    "product-search",
    "recommendation",
    "pricing",
    "promotions",
    "shipping",
    "shipping-quote",
    "order-history",
    "order-service",
    "user-service",
    "auth",
    "identity-provider",
    "session-store",
    "notification",
    "email-sender",
    "sms-gateway",
    "push-notifier",
    "ad-service",
    "currency",
    "tax-calculator",
    "invoice",
    "billing",
    "subscription",
    "ledger",
    "reporting",
    "analytics-ingest",
    "event-router",
    "kafka-bridge",
    "image-resizer",
    "media-upload",
    "cdn-purger",
    "feature-flags",
    "config-service",
    "audit-log",
    "search-indexer",
    "review-service",
    "wishlist",
    "loyalty",
    "warehouse-sync",
    "returns",
    "customer-support",
    "scheduler",
};

const char* const kNamespaces[] = {"shop", "payments", "identity", "platform", "data", "messaging"};
const char* const kLanguages[] = {"java", "go", "python", "nodejs", "dotnet"};
const char kAlnum[] = "bcdfghjklmnpqrstvwxz2456789";  // the alphabet of k8s generated names

std::string RandomSuffix(Rng* rng, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(kAlnum[rng->Uniform(sizeof(kAlnum) - 1)]);
  return out;
}

std::string ScopeName(const std::string& language, const std::string& service) {
  if (language == "java") return "com.example." + service + ".Application";
  if (language == "go") return "github.com/example/" + service + "/internal/server";
  if (language == "python") return service + ".app";
  if (language == "nodejs") return "@example/" + service;
  return "Example." + service + ".Api";
}

}  // namespace

Fleet::Fleet(uint64_t seed, int num_services) {
  Rng rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::vector<std::string> nodes;
  for (int i = 0; i < 16; ++i) {
    nodes.push_back("ip-10-0-" + std::to_string(rng.Range(0, 63)) + "-" + std::to_string(rng.Range(2, 254)) +
                    ".ec2.internal");
  }
  for (int s = 0; s < num_services; ++s) {
    std::string name = kServiceNames[s];
    service_names_.push_back(name);
    instances_by_service_.emplace_back();
    std::string ns = kNamespaces[rng.Uniform(std::size(kNamespaces))];
    std::string language = kLanguages[rng.Uniform(std::size(kLanguages))];
    std::string version = "1." + std::to_string(rng.Range(0, 30)) + "." + std::to_string(rng.Range(0, 9));
    std::string replica_set = RandomSuffix(&rng, 10);
    // Zipf-like: the first services in the list are the chattiest.
    double service_weight = 1.0 / std::pow(s + 1, 0.9);
    int pods = static_cast<int>(rng.Range(1, 4));
    for (int p = 0; p < pods; ++p) {
      Instance inst;
      inst.service_index = s;
      inst.service_name = name;
      inst.pod_name = name + "-" + replica_set + "-" + RandomSuffix(&rng, 5);
      inst.host_name = rng.Pick(nodes);
      inst.language = language;
      inst.scope_name = ScopeName(language, name);
      inst.scope_version = version;
      std::string env = rng.Chance(0.9) ? "production" : "staging";

      constexpr uint32_t kAttr = otlp_fields::kResourceAttributes;
      AddStringAttr(&inst.resource, kAttr, "service.name", name);
      AddStringAttr(&inst.resource, kAttr, "service.namespace", ns);
      AddStringAttr(&inst.resource, kAttr, "service.version", version);
      AddStringAttr(&inst.resource, kAttr, "deployment.environment", env);
      AddStringAttr(&inst.resource, kAttr, "host.name", inst.host_name);
      AddStringAttr(&inst.resource, kAttr, "k8s.namespace.name", ns);
      AddStringAttr(&inst.resource, kAttr, "k8s.deployment.name", name);
      AddStringAttr(&inst.resource, kAttr, "k8s.pod.name", inst.pod_name);
      AddStringAttr(&inst.resource, kAttr, "telemetry.sdk.language", language);
      AddStringAttr(&inst.resource, kAttr, "telemetry.sdk.name", "opentelemetry");

      inst.scope.String(otlp_fields::kScopeName, inst.scope_name);
      inst.scope.String(otlp_fields::kScopeVersion, version);

      instances_by_service_.back().push_back(instances_.size());
      instances_.push_back(std::move(inst));
      instance_weights_.push_back(service_weight / pods);
    }
  }
}

size_t Fleet::PickInstanceOf(size_t service, Rng* rng) const { return rng->Pick(instances_by_service_[service]); }

}  // namespace otelstack::bench
