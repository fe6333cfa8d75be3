// The `otelstack` command line: serve, search, keys, version.
#pragma once

namespace otelstack::cli {

int Main(int argc, char** argv);

}  // namespace otelstack::cli
