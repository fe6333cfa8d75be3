#include "meta/key_verifier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "meta/ingestion_keys.h"
#include "meta/meta_store.h"
#include "meta_backend.h"
#include "test_util/temp_dir.h"

namespace otelstack::meta {
namespace {

using test::TempDir;

const std::string kMasterKey(32, 'm');

class KeyVerifierTest : public MetaBackendTest {
 protected:
  void SetUp() override {
    MetaBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto store = OpenStore();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    keys_ = std::make_unique<IngestionKeys>(&store_->ingestion_keys(), kMasterKey);
    verifier_ = std::make_unique<KeyVerifier>(&store_->ingestion_keys());
    auto key = keys_->Create("default");
    ASSERT_TRUE(key.ok());
    key_ = *key;
    ASSERT_TRUE(verifier_->Refresh().ok());
  }

  std::unique_ptr<MetaStore> store_;
  std::unique_ptr<IngestionKeys> keys_;
  std::unique_ptr<KeyVerifier> verifier_;
  CreatedKey key_;
};

OTELSTACK_INSTANTIATE_META_BACKENDS(KeyVerifierTest);

TEST(KeyVerifierExtractTest, StripsBearerAndWhitespace) {
  EXPECT_EQ(KeyVerifier::ExtractKey("abc"), "abc");
  EXPECT_EQ(KeyVerifier::ExtractKey("  abc \t"), "abc");
  EXPECT_EQ(KeyVerifier::ExtractKey("Bearer abc"), "abc");
  EXPECT_EQ(KeyVerifier::ExtractKey("bEaReR   abc  "), "abc");
  EXPECT_EQ(KeyVerifier::ExtractKey("Bearer\tabc"), "abc");
  EXPECT_EQ(KeyVerifier::ExtractKey("Bearer"), "Bearer");  // no key after the scheme: the word itself
  EXPECT_EQ(KeyVerifier::ExtractKey("Bearer "), "Bearer");
  EXPECT_EQ(KeyVerifier::ExtractKey("Bearerabc"), "Bearerabc");
  EXPECT_EQ(KeyVerifier::ExtractKey("   "), "");
}

TEST_P(KeyVerifierTest, AcceptsRawAndBearerForms) {
  const int64_t id = key_.info.id;
  EXPECT_EQ(verifier_->Verify(key_.raw), id);
  EXPECT_EQ(verifier_->Verify("Bearer " + key_.raw), id);
  EXPECT_EQ(verifier_->Verify("bearer " + key_.raw), id);
  EXPECT_EQ(verifier_->Verify("BEARER   " + key_.raw + "  "), id);
  EXPECT_EQ(verifier_->Verify("  " + key_.raw), id);
}

TEST_P(KeyVerifierTest, RejectsWrongAndEmpty) {
  EXPECT_EQ(verifier_->Verify(""), std::nullopt);
  EXPECT_EQ(verifier_->Verify("   "), std::nullopt);
  EXPECT_EQ(verifier_->Verify("Bearer"), std::nullopt);
  EXPECT_EQ(verifier_->Verify("Bearer "), std::nullopt);
  EXPECT_EQ(verifier_->Verify(key_.raw + "0"), std::nullopt);
  EXPECT_EQ(verifier_->Verify(key_.raw.substr(1)), std::nullopt);
  std::string upper = key_.raw;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != key_.raw) {
    EXPECT_EQ(verifier_->Verify(upper), std::nullopt);  // keys are compared exactly
  }
  EXPECT_EQ(verifier_->Verify("Basic " + key_.raw), std::nullopt);
  EXPECT_EQ(verifier_->Verify(key_.info.digest_hex), std::nullopt);  // the digest is not the key
}

TEST_P(KeyVerifierTest, EmptyBeforeFirstRefresh) {
  KeyVerifier fresh(&store_->ingestion_keys());
  EXPECT_EQ(fresh.SnapshotSize(), 0u);
  EXPECT_EQ(fresh.Verify(key_.raw), std::nullopt);
  EXPECT_TRUE(fresh.ChangedSinceLastRefresh());
  ASSERT_TRUE(fresh.RefreshIfChanged().ok());
  EXPECT_EQ(fresh.Verify(key_.raw), key_.info.id);
  EXPECT_FALSE(fresh.ChangedSinceLastRefresh());
}

TEST_P(KeyVerifierTest, PicksTheRightKeyAmongMany) {
  std::vector<CreatedKey> more;
  for (int i = 0; i < 5; ++i) {
    auto k = keys_->Create("k" + std::to_string(i));
    ASSERT_TRUE(k.ok());
    more.push_back(*k);
  }
  ASSERT_TRUE(verifier_->Refresh().ok());
  EXPECT_EQ(verifier_->SnapshotSize(), 6u);
  for (const CreatedKey& k : more) EXPECT_EQ(verifier_->Verify(k.raw), k.info.id);
  EXPECT_EQ(verifier_->Verify(key_.raw), key_.info.id);
}

TEST_P(KeyVerifierTest, SeesKeysCreatedAndRevokedByAnotherConnection) {
  EXPECT_FALSE(verifier_->ChangedSinceLastRefresh());

  // A second store on the same database, as `otelstack keys create` (or
  // another replica) would open.
  auto cli_store = OpenStore();
  ASSERT_TRUE(cli_store.ok()) << cli_store.status().ToString();
  IngestionKeys cli_keys(&(*cli_store)->ingestion_keys(), kMasterKey);
  auto created = cli_keys.Create("from-cli");
  ASSERT_TRUE(created.ok());

  EXPECT_EQ(verifier_->Verify(created->raw), std::nullopt);  // not yet refreshed
  EXPECT_TRUE(verifier_->ChangedSinceLastRefresh());
  ASSERT_TRUE(verifier_->RefreshIfChanged().ok());
  EXPECT_FALSE(verifier_->ChangedSinceLastRefresh());
  EXPECT_EQ(verifier_->Verify(created->raw), created->info.id);

  ASSERT_TRUE(cli_keys.Revoke(key_.info.id).ok());
  EXPECT_TRUE(verifier_->ChangedSinceLastRefresh());
  ASSERT_TRUE(verifier_->RefreshIfChanged().ok());
  EXPECT_EQ(verifier_->Verify(key_.raw), std::nullopt);
  EXPECT_EQ(verifier_->Verify(created->raw), created->info.id);
}

TEST_P(KeyVerifierTest, ConcurrentVerifyAndRefresh) {
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        if (verifier_->Verify(key_.raw) != key_.info.id) failures.fetch_add(1);
        if (verifier_->Verify("wrong-key") != std::nullopt) failures.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(keys_->Create("extra" + std::to_string(i)).ok());
    ASSERT_TRUE(verifier_->Refresh().ok());
  }
  stop.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(verifier_->SnapshotSize(), 21u);
}

}  // namespace
}  // namespace otelstack::meta
