#include "http/static_files.h"

#include <filesystem>

#include "common/file_util.h"
#include "http/router.h"

namespace otelstack::http {

namespace {

namespace fs = std::filesystem;

constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

std::string ContentTypeFor(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  auto it = kTypes.find(fs::path(path).extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace

StatusOr<std::shared_ptr<const StaticFiles>> StaticFiles::Load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(dir) / "index.html", ec)) {
    return Status::NotFound("web UI directory " + dir + " has no index.html");
  }
  auto files = std::make_shared<StaticFiles>();
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string relative = std::string(1, '/').append(fs::relative(it->path(), dir).generic_string());
    File file;
    file.content_type = ContentTypeFor(relative);
    OTELSTACK_RETURN_IF_ERROR(ReadFile(it->path().string(), &file.body).WithContext("web UI"));
    files->total_bytes_ += file.body.size();
    files->files_.emplace(std::move(relative), std::move(file));
  }
  if (ec) return Status::IOError("web UI directory " + dir + ": " + ec.message());
  return std::shared_ptr<const StaticFiles>(std::move(files));
}

Response StaticFiles::Serve(const Request& request) const {
  if (request.path.rfind("/api/", 0) == 0 || request.path == "/api") {
    return Response::Error(404, "no such API route: " + request.path);
  }
  auto it = files_.find(request.path);
  bool is_asset = it != files_.end() && request.path.rfind("/assets/", 0) == 0;
  if (it == files_.end()) it = files_.find("/index.html");  // a client-side route
  Response response;
  response.status = 200;
  response.content_type = it->second.content_type;
  response.body = it->second.body;  // for HEAD the server sends only its length
  response.WithHeader("Cache-Control", is_asset ? "public, max-age=31536000, immutable" : "no-cache");
  response.WithHeader("Content-Security-Policy", kContentSecurityPolicy);
  response.WithHeader("X-Frame-Options", "DENY");
  response.WithHeader("Referrer-Policy", "same-origin");
  return response;
}

void StaticFiles::Mount(std::shared_ptr<const StaticFiles> files, Router* router) {
  for (Method method : {Method::kGet, Method::kHead}) {
    router->Add(method, "/*path", [files](Request& request) { return files->Serve(request); });
  }
}

}  // namespace otelstack::http
