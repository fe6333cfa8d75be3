#include "ingest/gunzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace otelstack::ingest {
namespace {

std::string Gzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(GunzipTest, RoundTrip) {
  std::string body = "hello otlp " + std::string(100000, 'x') + " end";
  std::string out;
  ASSERT_TRUE(GunzipBounded(Gzip(body), 1 << 20, &out).ok());
  EXPECT_EQ(out, body);
}

TEST(GunzipTest, ExactlyAtTheLimitIsAccepted) {
  std::string body(4096, 'a');
  std::string out;
  EXPECT_TRUE(GunzipBounded(Gzip(body), body.size(), &out).ok());
  EXPECT_EQ(out.size(), body.size());
}

TEST(GunzipTest, BombIsCutOffNotInflated) {
  std::string bomb = Gzip(std::string(64 << 20, '\0'));  // 64 MiB of zeros, ~64 KB compressed
  ASSERT_LT(bomb.size(), 200000u);
  std::string out;
  Status s = GunzipBounded(bomb, 1 << 20, &out);
  EXPECT_EQ(s.code(), Status::Code::kResourceExhausted);
  // Never inflated far past the limit.
  EXPECT_LE(out.capacity(), (2u << 20) + (16u << 20));
}

TEST(GunzipTest, CorruptAndTruncatedInputAreInvalidArgument) {
  std::string good = Gzip(std::string(10000, 'q'));
  std::string out;
  EXPECT_EQ(GunzipBounded("not gzip at all", 1 << 20, &out).code(), Status::Code::kInvalidArgument);
  for (size_t cut : {size_t{0}, size_t{5}, good.size() / 2, good.size() - 1}) {
    EXPECT_EQ(GunzipBounded(std::string_view(good).substr(0, cut), 1 << 20, &out).code(),
              Status::Code::kInvalidArgument)
        << "cut at " << cut;
  }
}

}  // namespace
}  // namespace otelstack::ingest
