#include "cli/main.h"

int main(int argc, char** argv) { return otelstack::cli::Main(argc, argv); }
