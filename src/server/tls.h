// TLS settings shared by the OTLP listeners. The struct lives in http/ (the
// HTTP server framework needs it); this alias keeps server/ code unchanged.
#pragma once

#include "http/tls.h"

namespace otelstack::server {

using http::TlsOptions;

}  // namespace otelstack::server
