// DocumentRepository on both backends: round trips (including a binary sealed
// secret), ids unique across kinds and never reused, and team and kind
// scoping of every method.
#include "meta/document_repository.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>

#include "meta/meta_store.h"
#include "meta_backend.h"
#include "test_util/temp_dir.h"

namespace otelstack::meta {
namespace {

using std::chrono::hours;
using test::TempDir;

const TimePoint kT0{std::chrono::milliseconds(1'700'000'000'000)};

class DocumentRepositoryTest : public MetaBackendTest {
 protected:
  void SetUp() override {
    MetaBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto store = OpenStore();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    // A raw insert: the identity interface only creates the first team.
    team_ = RawInsert("INSERT INTO teams(name, created_at) VALUES ('A', 0)");
    other_team_ = RawInsert("INSERT INTO teams(name, created_at) VALUES ('B', 0)");
    ASSERT_GT(team_, 0);
    ASSERT_GT(other_team_, 0);
  }
  DocumentRepository& repo() { return store_->documents(); }

  Document Make(DocumentKind kind, std::string name, int64_t team = 0) {
    Document doc;
    doc.id = 12345;  // ignored by Insert
    doc.team_id = team != 0 ? team : team_;
    doc.kind = kind;
    doc.name = std::move(name);
    doc.json = R"({"name":")" + doc.name + R"("})";
    doc.created_by = 7;
    doc.created_at = kT0;
    doc.updated_at = kT0;
    return doc;
  }

  std::unique_ptr<MetaStore> store_;
  int64_t team_ = 0;
  int64_t other_team_ = 0;
};

OTELSTACK_INSTANTIATE_META_BACKENDS(DocumentRepositoryTest);

TEST_P(DocumentRepositoryTest, InsertAndGetRoundTrip) {
  Document conn = Make(DocumentKind::kConnection, "Local");
  conn.sealed_secret = std::string("\x00\x01sealed\xff", 9);
  auto inserted = repo().Insert(conn);
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  EXPECT_NE(inserted->id, 12345) << "the id is assigned";
  EXPECT_GT(inserted->id, 0);

  auto got = repo().Get(team_, DocumentKind::kConnection, inserted->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, inserted->id);
  EXPECT_EQ(got->team_id, team_);
  EXPECT_EQ(got->kind, DocumentKind::kConnection);
  EXPECT_EQ(got->name, "Local");
  EXPECT_EQ(got->json, R"({"name":"Local"})");
  EXPECT_EQ(got->sealed_secret, conn.sealed_secret);
  EXPECT_EQ(got->created_by, 7);
  EXPECT_EQ(got->created_at, kT0);
  EXPECT_EQ(got->updated_at, kT0);

  Document builtin = Make(DocumentKind::kSource, "Logs");
  builtin.created_by = 0;
  auto source = repo().Insert(builtin);
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source->sealed_secret, "");
  EXPECT_EQ(source->created_by, 0);

  EXPECT_EQ(repo().Insert(Make(DocumentKind::kSource, "x", 999)).status().code(), Status::Code::kNotFound);
}

TEST_P(DocumentRepositoryTest, IdsAreUniqueAcrossKindsAndNeverReused) {
  auto a = repo().Insert(Make(DocumentKind::kSource, "a"));
  auto b = repo().Insert(Make(DocumentKind::kDashboard, "b"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->id, b->id);
  ASSERT_TRUE(repo().Delete(team_, DocumentKind::kDashboard, b->id).ok());
  auto c = repo().Insert(Make(DocumentKind::kDashboard, "c"));
  ASSERT_TRUE(c.ok());
  EXPECT_GT(c->id, b->id) << "a deleted id is not handed out again";
}

TEST_P(DocumentRepositoryTest, ListIsByTeamAndKindInIdOrder) {
  auto s1 = repo().Insert(Make(DocumentKind::kSource, "s1"));
  auto d1 = repo().Insert(Make(DocumentKind::kDashboard, "d1"));
  auto s2 = repo().Insert(Make(DocumentKind::kSource, "s2"));
  auto theirs = repo().Insert(Make(DocumentKind::kSource, "theirs", other_team_));
  ASSERT_TRUE(s1.ok() && d1.ok() && s2.ok() && theirs.ok());

  auto sources = repo().List(team_, DocumentKind::kSource);
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  ASSERT_EQ(sources->size(), 2u);
  EXPECT_EQ((*sources)[0].id, s1->id);
  EXPECT_EQ((*sources)[1].id, s2->id);
  auto dashboards = repo().List(team_, DocumentKind::kDashboard);
  ASSERT_TRUE(dashboards.ok());
  ASSERT_EQ(dashboards->size(), 1u);
  EXPECT_EQ((*dashboards)[0].name, "d1");
  auto searches = repo().List(team_, DocumentKind::kSavedSearch);
  ASSERT_TRUE(searches.ok());
  EXPECT_TRUE(searches->empty());
  auto other = repo().List(other_team_, DocumentKind::kSource);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].name, "theirs");
}

TEST_P(DocumentRepositoryTest, AnotherTeamsDocumentIsNotFoundAndUntouched) {
  Document conn = Make(DocumentKind::kConnection, "mine");
  conn.sealed_secret = "secret";
  auto mine = repo().Insert(conn);
  ASSERT_TRUE(mine.ok());

  EXPECT_EQ(repo().Get(other_team_, DocumentKind::kConnection, mine->id).status().code(), Status::Code::kNotFound);

  Document hijack = *mine;
  hijack.team_id = other_team_;
  hijack.name = "hijacked";
  hijack.sealed_secret = "";
  EXPECT_EQ(repo().Update(hijack).code(), Status::Code::kNotFound);
  EXPECT_EQ(repo().Delete(other_team_, DocumentKind::kConnection, mine->id).code(), Status::Code::kNotFound);

  auto still = repo().Get(team_, DocumentKind::kConnection, mine->id);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->name, "mine");
  EXPECT_EQ(still->sealed_secret, "secret");
}

TEST_P(DocumentRepositoryTest, KindIsPartOfTheKey) {
  auto src = repo().Insert(Make(DocumentKind::kSource, "s"));
  ASSERT_TRUE(src.ok());
  EXPECT_EQ(repo().Get(team_, DocumentKind::kDashboard, src->id).status().code(), Status::Code::kNotFound);
  Document wrong = *src;
  wrong.kind = DocumentKind::kDashboard;
  EXPECT_EQ(repo().Update(wrong).code(), Status::Code::kNotFound);
  EXPECT_EQ(repo().Delete(team_, DocumentKind::kDashboard, src->id).code(), Status::Code::kNotFound);
  EXPECT_TRUE(repo().Get(team_, DocumentKind::kSource, src->id).ok());
}

TEST_P(DocumentRepositoryTest, UpdateReplacesContentButNotOrigin) {
  Document conn = Make(DocumentKind::kConnection, "old");
  conn.sealed_secret = "s1";
  auto doc = repo().Insert(conn);
  ASSERT_TRUE(doc.ok());

  Document change = *doc;
  change.name = "new";
  change.json = R"({"host":"h"})";
  change.sealed_secret = "s2";
  change.updated_at = kT0 + hours(1);
  change.created_at = kT0 + hours(9);  // ignored
  change.created_by = 99;              // ignored
  ASSERT_TRUE(repo().Update(change).ok());
  auto got = repo().Get(team_, DocumentKind::kConnection, doc->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "new");
  EXPECT_EQ(got->json, R"({"host":"h"})");
  EXPECT_EQ(got->sealed_secret, "s2");
  EXPECT_EQ(got->updated_at, kT0 + hours(1));
  EXPECT_EQ(got->created_at, kT0);
  EXPECT_EQ(got->created_by, 7);

  change.sealed_secret = "";
  ASSERT_TRUE(repo().Update(change).ok());
  EXPECT_EQ(repo().Get(team_, DocumentKind::kConnection, doc->id)->sealed_secret, "") << "a secret can be cleared";

  change.id = 999;
  EXPECT_EQ(repo().Update(change).code(), Status::Code::kNotFound);
}

TEST_P(DocumentRepositoryTest, DeleteRemoves) {
  auto doc = repo().Insert(Make(DocumentKind::kSavedSearch, "errors"));
  ASSERT_TRUE(doc.ok());
  ASSERT_TRUE(repo().Delete(team_, DocumentKind::kSavedSearch, doc->id).ok());
  EXPECT_EQ(repo().Get(team_, DocumentKind::kSavedSearch, doc->id).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(repo().Delete(team_, DocumentKind::kSavedSearch, doc->id).code(), Status::Code::kNotFound);
}

TEST_P(DocumentRepositoryTest, DocumentsSurviveReopen) {
  auto doc = repo().Insert(Make(DocumentKind::kDashboard, "Overview"));
  ASSERT_TRUE(doc.ok());
  store_.reset();
  auto store = OpenStore();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto got = (*store)->documents().Get(team_, DocumentKind::kDashboard, doc->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, "Overview");
}

}  // namespace
}  // namespace otelstack::meta
