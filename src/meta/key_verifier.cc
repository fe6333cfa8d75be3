#include "meta/key_verifier.h"

#include "common/file_util.h"
#include "meta/crypto.h"
#include "meta/sqlite_db.h"

namespace otelstack::meta {

namespace {

constexpr std::string_view kWhitespace = " \t";

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kWhitespace);
  return s.substr(begin, end - begin + 1);
}

bool StartsWithBearer(std::string_view s) {
  constexpr std::string_view kBearer = "bearer";
  if (s.size() <= kBearer.size()) return false;
  for (size_t i = 0; i < kBearer.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kBearer[i]) return false;
  }
  char sep = s[kBearer.size()];
  return sep == ' ' || sep == '\t';
}

}  // namespace

KeyVerifier::KeyVerifier(IngestionKeyRepository* repository, Clock clock)
    : repository_(repository), clock_(std::move(clock)), snapshot_(std::make_shared<const Snapshot>()) {}

std::string_view KeyVerifier::ExtractKey(std::string_view presented) {
  std::string_view s = Trim(presented);
  if (StartsWithBearer(s)) s = Trim(s.substr(6));
  return s;
}

std::optional<int64_t> KeyVerifier::Verify(std::string_view presented) const {
  std::string_view key = ExtractKey(presented);
  if (key.empty()) return std::nullopt;
  const std::string digest = Sha256(key);
  const int64_t now_ms = ToUnixMillis(clock_());
  std::shared_ptr<const Snapshot> snapshot = snapshot_.load(std::memory_order_acquire);

  // Branch-free selection: every entry is compared, and the first live match
  // is picked with masks. (Create keeps digests unique among active keys, but
  // processes with skewed clocks could briefly disagree on which is active.)
  uint64_t found_mask = 0;
  uint64_t found_id = 0;
  for (const Entry& e : *snapshot) {
    uint64_t equal = ConstantTimeEquals(digest, e.digest) ? 1 : 0;
    uint64_t live = (!e.expires_ms || now_ms < *e.expires_ms) ? 1 : 0;
    uint64_t take = (0 - (equal & live)) & ~found_mask;
    found_id |= static_cast<uint64_t>(e.id) & take;
    found_mask |= take;
  }
  if (found_mask == 0) return std::nullopt;
  return static_cast<int64_t>(found_id);
}

Status KeyVerifier::Refresh() {
  // Read the generation first: a change landing between the two reads makes
  // the next ChangedSinceLastRefresh() true rather than being missed.
  auto generation = repository_->Generation();
  if (!generation.ok()) return generation.status().WithContext("refresh ingestion keys");
  auto keys = repository_->List();
  if (!keys.ok()) return keys.status().WithContext("refresh ingestion keys");

  const TimePoint now = clock_();
  auto snapshot = std::make_shared<Snapshot>();
  for (const IngestionKeyInfo& key : *keys) {
    if (!key.ActiveAt(now)) continue;
    std::string digest;
    if (key.digest_hex.size() != 64 || !HexDecode(key.digest_hex, &digest)) {
      return Status::Corruption("ingestion key " + std::to_string(key.id) + " has a malformed digest");
    }
    std::optional<int64_t> expires_ms;
    if (key.expires_at) expires_ms = ToUnixMillis(*key.expires_at);
    snapshot->push_back(Entry{.id = key.id, .digest = std::move(digest), .expires_ms = expires_ms});
  }
  snapshot_.store(std::move(snapshot), std::memory_order_release);
  generation_.store(*generation, std::memory_order_release);
  return Status::OK();
}

bool KeyVerifier::ChangedSinceLastRefresh() {
  auto generation = repository_->Generation();
  if (!generation.ok()) return true;
  return *generation != generation_.load(std::memory_order_acquire);
}

Status KeyVerifier::RefreshIfChanged() {
  if (!ChangedSinceLastRefresh()) return Status::OK();
  return Refresh();
}

size_t KeyVerifier::SnapshotSize() const { return snapshot_.load(std::memory_order_acquire)->size(); }

}  // namespace otelstack::meta
