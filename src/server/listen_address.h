// "HOST:PORT" listen addresses. The struct lives in http/ (the HTTP server
// framework needs it); this alias keeps server/ code unchanged.
#pragma once

#include "http/listen_address.h"

namespace otelstack::server {

using http::ListenAddress;

}  // namespace otelstack::server
