// libFuzzer target: ParseSqlWhere on arbitrary bytes (see fuzz_check.h).
#include <cstddef>
#include <cstdint>

#include "fuzz_check.h"
#include "query/parser/sql_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  otelstack::query::ast::NodePtr node;
  otelstack::Status st = otelstack::query::ParseSqlWhere(input, &node);
  otelstack::query::fuzz::CheckParse(input, st, node);
  return 0;
}
