#include "cli/healthcheck_command.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "http/http_client.h"

namespace otelstack::cli {

namespace {

std::string DefaultUrl() {
  const char* listen = std::getenv("OTELSTACK_INTERNAL_LISTEN");
  std::string address = listen && *listen ? listen : "127.0.0.1:8888";
  // A wildcard bind is reached through loopback.
  if (address.rfind("0.0.0.0:", 0) == 0) address = "127.0.0.1:" + address.substr(8);
  if (address.rfind("[::]:", 0) == 0) address = "[::1]:" + address.substr(5);
  return "http://" + address + "/ready";
}

}  // namespace

HealthcheckCommand::HealthcheckCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("healthcheck", "Exit 0 if a running server's internal /ready (or --url) answers 200");
  cmd_->add_option("--url", url_, "Default: http://<OTELSTACK_INTERNAL_LISTEN or 127.0.0.1:8888>/ready");
  cmd_->add_option("--timeout", timeout_seconds_, "Seconds to wait for the answer")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

int HealthcheckCommand::Run() {
  http::ClientRequest request;
  request.url = url_.empty() ? DefaultUrl() : url_;
  if (!http::ParseClientUrl(request.url).ok()) {
    std::cerr << "healthcheck: --url must look like http://127.0.0.1:8888/ready, got " << request.url << "\n";
    return 2;
  }
  request.timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds_ * 1000));
  auto response = http::Fetch(request);
  if (!response.ok()) {
    std::cerr << "healthcheck: " << request.url << ": " << response.status().message() << "\n";
    return 1;
  }
  if (response->status == 200) return 0;
  std::string body = response->body;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  std::cerr << "healthcheck: " << request.url << " answered " << response->status << ": " << body << "\n";
  return 1;
}

}  // namespace otelstack::cli
