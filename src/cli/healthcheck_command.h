// `otelstack healthcheck [--url URL]`: asks a running server's internal
// listener whether it is ready (Docker HEALTHCHECK, Kubernetes exec probes,
// systemd: no curl needed in the image).
//
// GET URL (http/http_client.h; default http://<OTELSTACK_INTERNAL_LISTEN or
// 127.0.0.1:8888>/ready) with a 5-second deadline. Exit status 0 when it
// answers 200, 1 otherwise with one line on stderr saying why, 2 bad usage.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace otelstack::cli {

class HealthcheckCommand {
 public:
  explicit HealthcheckCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  std::string url_;
  double timeout_seconds_ = 5;
};

}  // namespace otelstack::cli
