// AppendStringBody: a Beast body type for requests whose body is a
// std::string, filled by appending each received buffer.
//
// Beast's string_body reader resizes the string before copying into it, so
// every body byte is written twice (zeroed, then copied): for an OTLP
// request of 280 KB that is a memset as large as the body on the request
// path. This reader reserves the declared Content-Length once and appends
// into the reserved space. Only parsing is provided (no writer): responses
// keep string_body.
#pragma once

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <string>

namespace otelstack::http {

struct AppendStringBody {
  using value_type = std::string;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& content_length, boost::beast::error_code& ec) {
      if (content_length) {
        if (*content_length > body_.max_size()) {
          ec = boost::beast::http::error::buffer_overflow;
          return;
        }
        body_.reserve(static_cast<std::size_t>(*content_length));
      }
      ec = {};
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      std::size_t n = 0;
      for (auto b : boost::beast::buffers_range_ref(buffers)) {
        body_.append(static_cast<const char*>(b.data()), b.size());
        n += b.size();
      }
      ec = {};
      return n;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace otelstack::http
