// Fleet: the simulated set of services that emit the synthetic telemetry.
//
// A fleet is ~50 services in a handful of Kubernetes namespaces, each running
// 1-4 pods on a shared pool of nodes. Every pod is one "instance" with a
// pre-encoded OTLP Resource (service.name, service.version, host.name,
// k8s.pod.name, k8s.namespace.name, k8s.deployment.name,
// deployment.environment, telemetry.sdk.language) and an instrumentation
// scope. Services have Zipf-like chattiness weights, so a few services
// produce most of the records, as in real deployments.
//
// Deterministic: the same seed always yields the same fleet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/proto_writer.h"
#include "bench/random.h"

namespace otelstack::bench {

struct Instance {
  size_t service_index;
  std::string service_name;
  std::string pod_name;
  std::string host_name;
  std::string language;  // java, go, python, nodejs, dotnet
  std::string scope_name;
  std::string scope_version;
  ProtoWriter resource;  // encoded opentelemetry.proto.resource.v1.Resource
  ProtoWriter scope;     // encoded InstrumentationScope
};

class Fleet {
 public:
  // REQUIRES: num_services in [1, 50].
  Fleet(uint64_t seed, int num_services);

  const std::vector<Instance>& instances() const { return instances_; }
  size_t num_services() const { return service_names_.size(); }
  const std::string& service_name(size_t service) const { return service_names_[service]; }
  // Relative record volume of each instance (sums to anything positive).
  const std::vector<double>& instance_weights() const { return instance_weights_; }
  // A random instance of `service` (uniform among its pods).
  size_t PickInstanceOf(size_t service, Rng* rng) const;

 private:
  std::vector<std::string> service_names_;
  std::vector<std::vector<size_t>> instances_by_service_;
  std::vector<Instance> instances_;
  std::vector<double> instance_weights_;
};

}  // namespace otelstack::bench
