// StaticFiles: serves a built single-page application (the web UI) from a
// directory, for the app listener.
//
// The files are read once, at Load (the UI is a few hundred KB and changes
// only with a new build; restart the server to pick up a rebuild). A request
// path names a file relative to the directory; a path that names no file is
// a client-side route and gets index.html, except under /api/ (404 JSON, so
// a mistyped API path never looks like success). Paths were already
// percent-decoded and checked against ".." by the server.
//
// Caching: files under /assets/ have content hashes in their names (Vite)
// and are cached for a year; index.html is revalidated every time. Every
// response carries a Content-Security-Policy that allows only this origin
// (no inline scripts, no third-party hosts) and forbids framing.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "common/status.h"
#include "http/message.h"

namespace otelstack::http {

class Router;

class StaticFiles {
 public:
  // Loads every regular file below `dir`. NotFound if `dir` has no
  // index.html; IOError naming the file if one cannot be read.
  static StatusOr<std::shared_ptr<const StaticFiles>> Load(const std::string& dir);

  // The response for a GET or HEAD of `request.path`.
  Response Serve(const Request& request) const;

  // Adds GET and HEAD "/*path" routes serving `files` to `router`. Routes
  // with literal segments (the API) take precedence.
  static void Mount(std::shared_ptr<const StaticFiles> files, Router* router);

  size_t file_count() const { return files_.size(); }
  size_t total_bytes() const { return total_bytes_; }

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File> files_;  // by path, "/index.html", "/assets/x.js"
  size_t total_bytes_ = 0;
};

}  // namespace otelstack::http
