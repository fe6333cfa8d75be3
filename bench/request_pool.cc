#include "bench/request_pool.h"

#include "common/varint.h"

namespace otelstack::bench {
namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void PutFixedAt(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (8 * i));
}

}  // namespace

RequestPool::RequestPool(std::vector<GeneratedRequest> requests, uint64_t period_ns)
    : requests_(std::move(requests)), period_ns_(period_ns) {
  for (const GeneratedRequest& r : requests_) total_bytes_ += r.body.size();
}

void RequestPool::Render(uint64_t k, std::string* body) const {
  const GeneratedRequest& req = requests_[k % requests_.size()];
  body->assign(req.body);
  uint64_t pass = k / requests_.size();
  if (pass == 0) return;
  uint64_t shift = pass * period_ns_;
  uint64_t trace_mask = SplitMix64(k);
  uint64_t span_mask = SplitMix64(trace_mask) & ~0xffULL;  // byte 0 untouched: ids stay non-zero
  char* data = body->data();
  for (const Mark& m : req.marks) {
    char* p = data + m.offset;
    switch (m.kind) {
      case MarkKind::kTime:
        PutFixedAt(p, DecodeFixed64(p) + shift);
        break;
      case MarkKind::kTraceId:  // bytes 0-7 keep the generated (non-zero) half
        PutFixedAt(p + 8, DecodeFixed64(p + 8) ^ trace_mask);
        break;
      case MarkKind::kSpanId:
        PutFixedAt(p, DecodeFixed64(p) ^ span_mask);
        break;
    }
  }
}

}  // namespace otelstack::bench
