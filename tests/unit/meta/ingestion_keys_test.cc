#include "meta/ingestion_keys.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/file_util.h"
#include "meta/crypto.h"
#include "meta/key_verifier.h"
#include "meta/meta_store.h"
#include "meta_backend.h"
#include "test_util/temp_dir.h"

namespace otelstack::meta {
namespace {

using namespace std::chrono_literals;
using test::TempDir;

const std::string kMasterKey(32, 'm');

class IngestionKeysTest : public MetaBackendTest {
 protected:
  void SetUp() override {
    MetaBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto store = OpenStore();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    keys_ = std::make_unique<IngestionKeys>(&store_->ingestion_keys(), kMasterKey, clock_);
    verifier_ = std::make_unique<KeyVerifier>(&store_->ingestion_keys(), clock_);
  }

  void Advance(std::chrono::milliseconds d) { *now_ += d; }
  TimePoint Now() const { return *now_; }

  std::shared_ptr<TimePoint> now_ = std::make_shared<TimePoint>(TimePoint(std::chrono::seconds(1'700'000'000)));
  Clock clock_ = [now = now_] { return *now; };
  std::unique_ptr<MetaStore> store_;
  std::unique_ptr<IngestionKeys> keys_;
  std::unique_ptr<KeyVerifier> verifier_;
};

OTELSTACK_INSTANTIATE_META_BACKENDS(IngestionKeysTest);

bool IsLowerHex(const std::string& s) { return s.find_first_not_of("0123456789abcdef") == std::string::npos; }

TEST_P(IngestionKeysTest, CreateRandomKey) {
  auto created = keys_->Create("default");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->raw.size(), 64u);
  EXPECT_TRUE(IsLowerHex(created->raw));
  EXPECT_GT(created->info.id, 0);
  EXPECT_EQ(created->info.name, "default");
  EXPECT_EQ(created->info.digest_hex, HexEncode(Sha256(created->raw)));
  EXPECT_EQ(created->info.created_at, Now());
  EXPECT_FALSE(created->info.revoked_at || created->info.expires_at || created->info.last_used_at);

  auto other = keys_->Create("default");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->raw, created->raw);
  EXPECT_NE(other->info.id, created->info.id);
}

TEST_P(IngestionKeysTest, RawKeyIsNeverStoredInClear) {
  auto created = keys_->Create("default");
  ASSERT_TRUE(created.ok());
  if (postgres()) {
    std::string stored = RawQuery(
        "SELECT string_agg(name || ' ' || digest || ' ' || encode(sealed, 'escape'), ' ') FROM ingestion_keys");
    ASSERT_FALSE(stored.empty());
    EXPECT_EQ(stored.find(created->raw), std::string::npos) << stored;
  }
  for (const auto& entry : std::filesystem::directory_iterator(location_.data_dir)) {
    std::string contents;
    ASSERT_TRUE(ReadFile(entry.path().string(), &contents).ok());
    EXPECT_EQ(contents.find(created->raw), std::string::npos) << entry.path();
  }
}

TEST_P(IngestionKeysTest, ListAndReveal) {
  auto a = keys_->Create("a");
  auto b = keys_->Create("b");
  ASSERT_TRUE(a.ok() && b.ok());
  auto list = keys_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "a");
  EXPECT_EQ((*list)[1].name, "b");

  auto revealed = keys_->Reveal(b->info.id);
  ASSERT_TRUE(revealed.ok()) << revealed.status().ToString();
  EXPECT_EQ(*revealed, b->raw);
  EXPECT_EQ(keys_->Reveal(999).status().code(), Status::Code::kNotFound);
}

TEST_P(IngestionKeysTest, RevealWithOtherMasterKeyFails) {
  auto created = keys_->Create("a");
  ASSERT_TRUE(created.ok());
  IngestionKeys other(&store_->ingestion_keys(), std::string(32, 'x'), clock_);
  auto revealed = other.Reveal(created->info.id);
  ASSERT_FALSE(revealed.ok());
  EXPECT_EQ(revealed.status().code(), Status::Code::kCorruption);
  EXPECT_NE(revealed.status().message().find("master key"), std::string::npos);
}

TEST_P(IngestionKeysTest, SeededCreateIsIdempotent) {
  const std::string seed = "my-configured-ingestion-key-1234";
  auto first = keys_->Create("default", seed);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->raw, seed);
  Advance(1h);
  auto second = keys_->Create("default", seed);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->info.id, first->info.id);
  EXPECT_EQ(second->info.created_at, first->info.created_at);
  EXPECT_EQ(second->raw, seed);
  EXPECT_EQ(*keys_->CountActive(), 1);

  auto revealed = keys_->Reveal(first->info.id);
  ASSERT_TRUE(revealed.ok());
  EXPECT_EQ(*revealed, seed);
}

TEST_P(IngestionKeysTest, SeedingARevokedKeyCreatesANewOne) {
  const std::string seed = "my-configured-ingestion-key-1234";
  auto first = keys_->Create("default", seed);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(keys_->Revoke(first->info.id).ok());
  auto second = keys_->Create("default", seed);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->info.id, first->info.id);
  EXPECT_EQ(*keys_->CountActive(), 1);
}

TEST_P(IngestionKeysTest, RejectsBadInput) {
  EXPECT_EQ(keys_->Create("").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(keys_->Create("x", std::string("short")).status().code(), Status::Code::kInvalidArgument);
}

TEST_P(IngestionKeysTest, RotateKeepsOldKeyValidForGrace) {
  auto old_key = keys_->Create("default");
  ASSERT_TRUE(old_key.ok());
  auto rotated = keys_->Rotate(old_key->info.id, 1h);
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_NE(rotated->raw, old_key->raw);
  EXPECT_EQ(rotated->info.name, "default");
  EXPECT_FALSE(rotated->info.expires_at);

  auto list = keys_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  ASSERT_TRUE((*list)[0].expires_at);
  EXPECT_EQ(*(*list)[0].expires_at, Now() + 1h);
  EXPECT_EQ(*keys_->CountActive(), 2);

  ASSERT_TRUE(verifier_->Refresh().ok());
  EXPECT_EQ(verifier_->Verify(old_key->raw), old_key->info.id);
  EXPECT_EQ(verifier_->Verify(rotated->raw), rotated->info.id);

  Advance(1h - 1ms);
  EXPECT_EQ(verifier_->Verify(old_key->raw), old_key->info.id);
  Advance(1ms);  // grace over: rejected without any Refresh
  EXPECT_EQ(verifier_->Verify(old_key->raw), std::nullopt);
  EXPECT_EQ(verifier_->Verify(rotated->raw), rotated->info.id);
  EXPECT_EQ(*keys_->CountActive(), 1);

  ASSERT_TRUE(verifier_->Refresh().ok());
  EXPECT_EQ(verifier_->SnapshotSize(), 1u);
}

TEST_P(IngestionKeysTest, RotateTwiceDoesNotExtendGrace) {
  auto key = keys_->Create("default");
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(keys_->Rotate(key->info.id, 1h).ok());
  ASSERT_TRUE(keys_->Rotate(key->info.id, 48h).ok());
  auto row = store_->ingestion_keys().Get(key->info.id);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(*row->info.expires_at, Now() + 1h);
}

TEST_P(IngestionKeysTest, RotateWithZeroGraceEndsOldKeyNow) {
  auto key = keys_->Create("default");
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(verifier_->Refresh().ok());
  auto rotated = keys_->Rotate(key->info.id, 0s);
  ASSERT_TRUE(rotated.ok());
  // The snapshot learns of the new expiry at its next refresh.
  EXPECT_TRUE(verifier_->ChangedSinceLastRefresh());
  ASSERT_TRUE(verifier_->RefreshIfChanged().ok());
  EXPECT_EQ(verifier_->Verify(key->raw), std::nullopt);
  EXPECT_EQ(verifier_->Verify(rotated->raw), rotated->info.id);
}

TEST_P(IngestionKeysTest, RevokeAndErrors) {
  auto key = keys_->Create("default");
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(verifier_->Refresh().ok());
  EXPECT_EQ(verifier_->Verify(key->raw), key->info.id);

  Advance(5s);
  ASSERT_TRUE(keys_->Revoke(key->info.id).ok());
  ASSERT_TRUE(keys_->Revoke(key->info.id).ok());  // idempotent
  auto row = store_->ingestion_keys().Get(key->info.id);
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(row->info.revoked_at);
  EXPECT_EQ(*row->info.revoked_at, Now());
  EXPECT_EQ(*keys_->CountActive(), 0);

  EXPECT_TRUE(verifier_->ChangedSinceLastRefresh());
  ASSERT_TRUE(verifier_->RefreshIfChanged().ok());
  EXPECT_EQ(verifier_->Verify(key->raw), std::nullopt);

  EXPECT_EQ(keys_->Revoke(12345).code(), Status::Code::kNotFound);
  EXPECT_EQ(keys_->Rotate(key->info.id).status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(keys_->Rotate(12345).status().code(), Status::Code::kNotFound);
}

TEST_P(IngestionKeysTest, TouchLastUsedMovesForwardWithoutSignallingChange) {
  auto key = keys_->Create("default");
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(verifier_->Refresh().ok());
  const TimePoint t1 = Now() + 1min;
  ASSERT_TRUE(keys_->TouchLastUsed(key->info.id, t1).ok());
  ASSERT_TRUE(keys_->TouchLastUsed(key->info.id, t1 - 30s).ok());  // older: ignored
  ASSERT_TRUE(keys_->TouchLastUsed(999, t1).ok());                 // unknown: ignored
  auto row = store_->ingestion_keys().Get(key->info.id);
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(row->info.last_used_at);
  EXPECT_EQ(*row->info.last_used_at, t1);
  EXPECT_FALSE(verifier_->ChangedSinceLastRefresh());

  std::vector<KeyUse> batch = {{key->info.id, t1 + 1min}, {key->info.id, t1 + 2min}};
  ASSERT_TRUE(store_->ingestion_keys().TouchLastUsed(batch).ok());
  row = store_->ingestion_keys().Get(key->info.id);
  EXPECT_EQ(*row->info.last_used_at, t1 + 2min);
}

TEST_P(IngestionKeysTest, SealedCopyMovedToAnotherRowDoesNotReveal) {
  auto a = keys_->Create("a");
  auto b = keys_->Create("b");
  ASSERT_TRUE(a.ok() && b.ok());
  auto row_a = store_->ingestion_keys().Get(a->info.id);
  ASSERT_TRUE(row_a.ok());
  // Opening a's sealed copy with b's associated data must fail.
  EXPECT_FALSE(OpenAesGcm(kMasterKey, row_a->sealed, SealedKeyAssociatedData(b->info.digest_hex)).ok());
  EXPECT_TRUE(OpenAesGcm(kMasterKey, row_a->sealed, SealedKeyAssociatedData(a->info.digest_hex)).ok());
}

}  // namespace
}  // namespace otelstack::meta
