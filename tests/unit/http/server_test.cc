#include "http/server.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "http/worker_pool.h"

namespace otelstack::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using BeastResponse = bhttp::response<bhttp::string_body>;

// A blocking HTTP/1.1 client on one loopback connection.
class Client {
 public:
  explicit Client(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  void Write(bhttp::verb method, const std::string& target, const std::string& body = "",
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    bhttp::request<bhttp::string_body> request(method, target, 11);
    request.set(bhttp::field::host, "localhost");
    for (auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    bhttp::write(socket_, request);
  }

  BeastResponse Read() {
    BeastResponse response;
    bhttp::read(socket_, buffer_, response);
    return response;
  }

  BeastResponse Send(bhttp::verb method, const std::string& target, const std::string& body = "",
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    Write(method, target, body, std::move(headers));
    return Read();
  }

  // A response to HEAD: Content-Length describes a body that is not sent.
  BeastResponse ReadHead() {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(true);
    bhttp::read(socket_, buffer_, parser);
    return parser.release();
  }

  void WriteRaw(std::string_view bytes) { net::write(socket_, net::buffer(bytes.data(), bytes.size())); }

  // True when the server has closed the connection (the read sees EOF or a
  // reset rather than data).
  bool ReadsEof() {
    char byte;
    beast::error_code ec;
    size_t n = socket_.read_some(net::buffer(&byte, 1), ec);
    return n == 0 && (ec == net::error::eof || ec == net::error::connection_reset);
  }

  void Close() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

std::string HeaderOf(const BeastResponse& response, std::string_view name) {
  return std::string(response[beast::string_view(name.data(), name.size())]);
}

// Polls `flag` until it is set or `timeout` passes; the server notifies
// through the flag itself, so there is nothing else to wait on.
bool WaitFor(const std::shared_ptr<std::atomic<bool>>& flag, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!flag->load()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// A blocking handler that reports its request's cancel flag when it starts,
// then waits until the test releases it.
class Gate {
 public:
  Handler MakeHandler() {
    return [this](Request& request) {
      {
        std::lock_guard<std::mutex> lk(mu_);
        entered_.push_back(request.cancelled);
      }
      cv_.notify_all();
      release_.wait();
      return Response::Json(200, R"({"released":true})");
    };
  }
  // Waits for the n-th (1-based) request to enter the handler; its cancel flag.
  std::shared_ptr<std::atomic<bool>> WaitEntered(size_t n) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return entered_.size() >= n; });
    return entered_[n - 1];
  }
  void Release() { release_promise_.set_value(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<std::atomic<bool>>> entered_;
  std::promise<void> release_promise_;
  std::shared_future<void> release_ = release_promise_.get_future().share();
};

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    server_ = std::make_unique<HttpServer>(std::move(options), std::move(router_));
    auto bound = server_->Start(ListenAddress{"127.0.0.1", 0});
    ASSERT_TRUE(bound.ok()) << bound.status().ToString();
    port_ = bound->port;
    ASSERT_NE(port_, 0);
  }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  Gate gate_;  // outlives server_: Stop() joins the workers waiting in it
  Router router_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
};

TEST_F(HttpServerTest, BlockingHandlerSeesDecodedRequest) {
  router_.Add(Method::kPost, "/items/:id", [](Request& request) {
    std::string echo = std::string(request.PathParam("id")) + "|" + std::string(request.QueryParam("q").value_or("-")) +
                       "|" + std::string(request.Header("x-test").value_or("-")) + "|" + request.body + "|" +
                       request.client_address + "|" + (request.secure ? "tls" : "plain");
    return Response::Json(201, "{}").WithHeader("X-Echo", echo);
  });
  StartServer();
  Client client(port_);
  BeastResponse response = client.Send(bhttp::verb::post, "/items/a%20b?q=x+y", "payload", {{"X-Test", "hi"}});
  EXPECT_EQ(response.result_int(), 201u);
  EXPECT_EQ(HeaderOf(response, "X-Echo"), "a b|x y|hi|payload|127.0.0.1|plain");
  EXPECT_EQ(HeaderOf(response, "Content-Type"), "application/json");
  EXPECT_EQ(HeaderOf(response, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-store");
  EXPECT_EQ(response.body(), "{}");
}

TEST_F(HttpServerTest, AsyncHandlerMayRespondFromAnotherThread) {
  std::vector<std::thread> responders;
  std::mutex mu;
  router_.AddAsync(Method::kGet, "/async", [&](Request& request, Responder respond) {
    std::string body = R"({"path":")" + request.path + R"("})";
    std::lock_guard<std::mutex> lk(mu);
    responders.emplace_back([respond, body] {
      respond(Response::Json(200, body).WithHeader("Cache-Control", "max-age=60"));
      respond(Response::Error(500, "ignored: only the first response counts"));
    });
  });
  StartServer();
  Client client(port_);
  BeastResponse response = client.Send(bhttp::verb::get, "/async");
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), R"({"path":"/async"})");
  EXPECT_EQ(HeaderOf(response, "Cache-Control"), "max-age=60");  // the handler's own value is kept
  // The connection is still usable (and the second respond call did nothing).
  EXPECT_EQ(client.Send(bhttp::verb::get, "/async").result_int(), 200u);
  std::lock_guard<std::mutex> lk(mu);
  for (auto& t : responders) t.join();
}

TEST_F(HttpServerTest, AsyncHandlerThatDropsTheResponderGets500) {
  router_.AddAsync(Method::kGet, "/forgetful", [](Request&, Responder) {});
  StartServer();
  Client client(port_);
  BeastResponse response = client.Send(bhttp::verb::get, "/forgetful");
  EXPECT_EQ(response.result_int(), 500u);
  EXPECT_EQ(response.body(), R"({"error":"the handler did not respond"})");
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  int calls = 0;  // only touched by the single worker thread
  router_.Add(Method::kGet, "/count", [&](Request&) { return Response::Json(200, std::to_string(++calls)); });
  ServerOptions options;
  options.worker_threads = 1;
  StartServer(options);
  Client client(port_);
  for (int i = 1; i <= 3; ++i) {
    BeastResponse response = client.Send(bhttp::verb::get, "/count");
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_EQ(response.body(), std::to_string(i));
    EXPECT_TRUE(response.keep_alive());
  }
  // A client asking to close gets "Connection: close" and the server closes.
  BeastResponse last = client.Send(bhttp::verb::get, "/count", "", {{"Connection", "close"}});
  EXPECT_EQ(last.result_int(), 200u);
  EXPECT_FALSE(last.keep_alive());
  EXPECT_TRUE(client.ReadsEof());
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  router_.Add(Method::kGet, "/echo/:x",
              [](Request& request) { return Response::Json(200, std::string(request.PathParam("x"))); });
  StartServer();
  Client client(port_);
  client.WriteRaw("GET /echo/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/2 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.Read().body(), "1");
  EXPECT_EQ(client.Read().body(), "2");
}

TEST_F(HttpServerTest, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  router_.Add(Method::kGet, "/things", [](Request&) { return Response::Json(200, "[]"); });
  router_.Add(Method::kPut, "/things", [](Request&) { return Response::Json(200, "[]"); });
  StartServer();
  Client client(port_);
  BeastResponse missing = client.Send(bhttp::verb::get, "/nothing");
  EXPECT_EQ(missing.result_int(), 404u);
  EXPECT_EQ(missing.body(), R"({"error":"not found"})");
  EXPECT_EQ(HeaderOf(missing, "Content-Type"), "application/json");
  EXPECT_EQ(HeaderOf(missing, "X-Content-Type-Options"), "nosniff");
  EXPECT_TRUE(missing.keep_alive());

  BeastResponse wrong = client.Send(bhttp::verb::delete_, "/things");
  EXPECT_EQ(wrong.result_int(), 405u);
  EXPECT_EQ(HeaderOf(wrong, "Allow"), "GET, PUT");
  EXPECT_EQ(wrong.body(), R"({"error":"method not allowed"})");

  BeastResponse traversal = client.Send(bhttp::verb::get, "/things/%2e%2e/secret");
  EXPECT_EQ(traversal.result_int(), 400u);
}

TEST_F(HttpServerTest, ErrorResponsesCanBeCustomized) {
  ServerOptions options;
  options.error_response = [](unsigned status, std::string_view) {
    Response response;
    response.status = status;
    response.content_type = "text/plain";
    response.body = "custom " + std::to_string(status);
    return response;
  };
  StartServer(options);
  Client client(port_);
  BeastResponse response = client.Send(bhttp::verb::get, "/x");
  EXPECT_EQ(response.result_int(), 404u);
  EXPECT_EQ(response.body(), "custom 404");
  EXPECT_EQ(HeaderOf(response, "Content-Type"), "text/plain");
}

TEST_F(HttpServerTest, OversizedBodyIs413AndTheConnectionCloses) {
  router_.Add(Method::kPost, "/upload", [](Request&) { return Response::Json(200, "{}"); });
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  {
    Client client(port_);
    EXPECT_EQ(client.Send(bhttp::verb::post, "/upload", std::string(1024, 'x')).result_int(), 200u);
  }
  Client client(port_);
  BeastResponse response = client.Send(bhttp::verb::post, "/upload", std::string(1025, 'x'));
  EXPECT_EQ(response.result_int(), 413u);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_EQ(response.body(), R"({"error":"request body exceeds the limit of 1024 bytes"})");
}

TEST_F(HttpServerTest, OversizedHeadersAre431) {
  router_.Add(Method::kGet, "/", [](Request&) { return Response::Json(200, "{}"); });
  ServerOptions options;
  options.max_header_bytes = 1024;
  StartServer(options);
  Client client(port_);
  BeastResponse response = client.Send(bhttp::verb::get, "/", "", {{"X-Big", std::string(2000, 'a')}});
  EXPECT_EQ(response.result_int(), 431u);
}

TEST_F(HttpServerTest, GarbageIs400) {
  StartServer();
  Client client(port_);
  client.WriteRaw("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(client.Read().result_int(), 400u);
  EXPECT_TRUE(client.ReadsEof());
}

TEST_F(HttpServerTest, ExpectContinueIsHonoured) {
  router_.Add(Method::kPost, "/echo", [](Request& request) { return Response::Json(200, request.body); });
  StartServer();
  Client client(port_);
  client.WriteRaw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.Read().result_int(), 100u);
  client.WriteRaw("\"hi\"");
  BeastResponse response = client.Read();
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), "\"hi\"");
}

TEST_F(HttpServerTest, HeadGetsHeadersWithoutBody) {
  const std::string body = R"({"big":"body"})";
  router_.Add(Method::kHead, "/thing", [&](Request&) { return Response::Json(200, body); });
  router_.Add(Method::kGet, "/thing", [&](Request&) { return Response::Json(200, body); });
  StartServer();
  Client client(port_);
  client.Write(bhttp::verb::head, "/thing");
  BeastResponse head = client.ReadHead();
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_EQ(HeaderOf(head, "Content-Length"), std::to_string(body.size()));
  // No body bytes were sent: the next response on the connection parses.
  BeastResponse get = client.Send(bhttp::verb::get, "/thing");
  EXPECT_EQ(get.body(), body);
}

TEST_F(HttpServerTest, SlowRequestsTimeOut) {
  router_.Add(Method::kGet, "/", [](Request&) { return Response::Json(200, "{}"); });
  ServerOptions options;
  options.read_timeout = std::chrono::seconds(1);
  StartServer(options);
  Client client(port_);
  auto start = std::chrono::steady_clock::now();
  client.WriteRaw("GET / HTTP/1.1\r\nHost: x\r\n");  // the headers never end
  EXPECT_TRUE(client.ReadsEof());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(HttpServerTest, FullWorkerPoolAnswers503WithRetryAfter) {
  router_.Add(Method::kGet, "/block", gate_.MakeHandler());
  router_.AddAsync(Method::kGet, "/async", [](Request&, Responder respond) { respond(Response::Json(200, "{}")); });
  ServerOptions options;
  options.worker_threads = 1;
  options.worker_queue_limit = 0;
  options.retry_after_seconds = 7;
  StartServer(options);

  Client first(port_);
  first.Write(bhttp::verb::get, "/block");
  gate_.WaitEntered(1);  // the only worker is busy

  Client second(port_);
  BeastResponse busy = second.Send(bhttp::verb::get, "/block");
  EXPECT_EQ(busy.result_int(), 503u);
  EXPECT_EQ(HeaderOf(busy, "Retry-After"), "7");

  EXPECT_TRUE(busy.keep_alive());
  // Asynchronous routes do not need a worker.
  EXPECT_EQ(second.Send(bhttp::verb::get, "/async").result_int(), 200u);

  gate_.Release();
  EXPECT_EQ(first.Read().result_int(), 200u);
}

TEST_F(HttpServerTest, ClientDisconnectSetsCancelled) {
  router_.Add(Method::kGet, "/slow", gate_.MakeHandler());
  StartServer();
  Client client(port_);
  client.Write(bhttp::verb::get, "/slow");
  std::shared_ptr<std::atomic<bool>> cancelled = gate_.WaitEntered(1);
  EXPECT_FALSE(cancelled->load());
  client.Close();
  EXPECT_TRUE(WaitFor(cancelled, std::chrono::seconds(10)));
  gate_.Release();
}

TEST_F(HttpServerTest, ClientDisconnectSetsCancelledForAsyncHandlers) {
  std::promise<std::pair<std::shared_ptr<std::atomic<bool>>, Responder>> entered;
  router_.AddAsync(Method::kGet, "/slow", [&](Request& request, Responder respond) {
    entered.set_value({request.cancelled, respond});
  });
  StartServer();
  Client client(port_);
  client.Write(bhttp::verb::get, "/slow");
  auto [cancelled, respond] = entered.get_future().get();
  client.Close();
  EXPECT_TRUE(WaitFor(cancelled, std::chrono::seconds(10)));
  respond(Response::Json(200, "{}"));
}

TEST_F(HttpServerTest, StopFinishesRequestsInFlightAndClosesIdleConnections) {
  router_.Add(Method::kGet, "/slow", gate_.MakeHandler());
  router_.Add(Method::kGet, "/fast", [](Request&) { return Response::Json(200, "{}"); });
  StartServer();

  Client idle(port_);
  EXPECT_EQ(idle.Send(bhttp::verb::get, "/fast").result_int(), 200u);  // accepted, now idle
  Client busy(port_);
  busy.Write(bhttp::verb::get, "/slow");
  gate_.WaitEntered(1);

  std::thread stopper([&] { server_->Stop(); });
  EXPECT_TRUE(idle.ReadsEof());  // Stop is under way: the idle connection is closed
  gate_.Release();
  BeastResponse response = busy.Read();
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response.body(), R"({"released":true})");
  EXPECT_FALSE(response.keep_alive());
  stopper.join();

  beast::error_code ec;
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
  EXPECT_TRUE(ec) << "the listener is closed after Stop";
}

TEST_F(HttpServerTest, StartRejectsBlockingRoutesWithoutWorkers) {
  router_.Add(Method::kGet, "/", [](Request&) { return Response::Json(200, "{}"); });
  ServerOptions options;
  options.worker_threads = 0;
  HttpServer server(options, std::move(router_));
  auto bound = server.Start(ListenAddress{"127.0.0.1", 0});
  EXPECT_FALSE(bound.ok());
  EXPECT_EQ(bound.status().code(), Status::Code::kInvalidArgument);
}

TEST_F(HttpServerTest, StartFailsOnABadHostOrBusyPort) {
  HttpServer first(ServerOptions{}, Router{});
  auto bound = first.Start(ListenAddress{"127.0.0.1", 0});
  ASSERT_TRUE(bound.ok());
  HttpServer second(ServerOptions{}, Router{});
  auto clash = second.Start(*bound);
  EXPECT_EQ(clash.status().code(), Status::Code::kIOError) << clash.status().ToString();
  HttpServer third(ServerOptions{}, Router{});
  EXPECT_EQ(third.Start(ListenAddress{"not-an-ip", 0}).status().code(), Status::Code::kInvalidArgument);
}

TEST(WorkerPoolTest, RefusesWorkBeyondThreadsAndQueue) {
  WorkerPool pool(1, 1, "test-pool");
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.set_value();
    released.wait();
    ++ran;
  }));
  started.get_future().wait();                   // the thread is busy
  EXPECT_TRUE(pool.TrySubmit([&] { ++ran; }));   // queued
  EXPECT_FALSE(pool.TrySubmit([&] { ++ran; }));  // queue full
  release.set_value();
  pool.Shutdown();  // runs what was accepted
  EXPECT_EQ(ran.load(), 2);
  EXPECT_FALSE(pool.TrySubmit([] {}));
}

}  // namespace
}  // namespace otelstack::http
