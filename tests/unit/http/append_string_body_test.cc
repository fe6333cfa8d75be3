#include "http/append_string_body.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <string>
#include <string_view>

namespace otelstack::http {
namespace {

namespace bhttp = boost::beast::http;

// Feeds `wire` to a request parser `piece` bytes at a time, as reads from a
// socket would, and returns the parsed body.
std::string ParseInPieces(std::string_view wire, size_t piece, boost::beast::error_code* ec) {
  bhttp::request_parser<AppendStringBody> parser;
  parser.eager(true);
  size_t at = 0;
  std::string pending;
  while (!parser.is_done() && at < wire.size()) {
    pending.append(wire.substr(at, piece));
    at += std::min(piece, wire.size() - at);
    size_t used = parser.put(boost::asio::buffer(pending), *ec);
    if (*ec == bhttp::error::need_more) *ec = {};
    if (*ec) return {};
    pending.erase(0, used);
  }
  if (!parser.is_done()) *ec = bhttp::error::partial_message;
  return parser.get().body();
}

TEST(AppendStringBodyTest, BodiesArriveWhole) {
  std::string body;
  for (int i = 0; i < 100000; ++i) body.push_back(static_cast<char>('a' + i % 26));
  const std::string with_length =
      "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string chunked = "POST /v1/logs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (size_t at = 0; at < body.size(); at += 7000) {
    const std::string_view chunk = std::string_view(body).substr(at, 7000);
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    chunked += size;
    chunked.append(chunk);
    chunked += "\r\n";
  }
  chunked += "0\r\n\r\n";
  for (const std::string& wire : {with_length, chunked}) {
    for (size_t piece : {size_t{1} << 20, size_t{4096}, size_t{333}}) {
      SCOPED_TRACE(piece);
      boost::beast::error_code ec;
      EXPECT_EQ(ParseInPieces(wire, piece, &ec), body);
      EXPECT_FALSE(ec) << ec.message();
    }
  }
  const std::string empty = "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
  boost::beast::error_code ec;
  EXPECT_EQ(ParseInPieces(empty, 100, &ec), "");
  EXPECT_FALSE(ec);
}

}  // namespace
}  // namespace otelstack::http
