// ScratchDir: where a benchmark writes its files. The directory the user
// gave (kept), or else a fresh one under /dev/shm, so that disk speed does
// not count, removed when the ScratchDir goes away.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace otelstack::bench {

class ScratchDir {
 public:
  ScratchDir() = default;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    if (temporary_) std::filesystem::remove_all(path_);
  }

  // Uses `given` when it is not empty, else makes /dev/shm/<name>.XXXXXX.
  // False (with the reason on stderr) when that fails.
  bool Open(const std::string& given, const std::string& name) {
    if (!given.empty()) {
      path_ = given;
      return true;
    }
    std::string pattern = "/dev/shm/" + name + ".XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror((name + ": mkdtemp").c_str());
      return false;
    }
    path_ = pattern;
    temporary_ = true;
    return true;
  }

  const std::string& path() const { return path_; }
  // Made by Open (and removed at the end), not given.
  bool temporary() const { return temporary_; }

 private:
  std::string path_;
  bool temporary_ = false;
};

}  // namespace otelstack::bench
