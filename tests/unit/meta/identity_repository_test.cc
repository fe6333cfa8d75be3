// IdentityRepository on both backends (meta_backend.h): the first-team race, case-insensitive unique
// emails, the last-admin rule, sessions revoked by a password change,
// single-use invitations, personal key rotation, team settings, and an
// upgrade from a database at schema version 2.
#include "meta/identity_repository.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <latch>
#include <thread>

#include "meta/meta_store.h"
#include "meta/migrations.h"
#include "meta/sqlite_db.h"
#include "meta_backend.h"
#include "test_util/temp_dir.h"

namespace otelstack::meta {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using test::FileMode;
using test::TempDir;

const TimePoint kT0{std::chrono::milliseconds(1'700'000'000'000)};

NewUser MakeUser(std::string email, Role role = Role::kViewer, TimePoint at = kT0) {
  return NewUser{
      .email = std::move(email), .name = "Name", .role = role, .password_hash = "$argon2id$x", .created_at = at};
}

PersonalKey MakeKey(int64_t user_id, std::string name, std::string digest_hex) {
  PersonalKey key;
  key.user_id = user_id;
  key.name = std::move(name);
  key.digest_hex = std::move(digest_hex);
  key.created_at = kT0;
  return key;
}

class IdentityRepositoryTest : public MetaBackendTest {
 protected:
  void SetUp() override {
    MetaBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto store = OpenStore();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  IdentityRepository& repo() { return store_->identity(); }

  // The first team and its admin.
  IdentityRepository::Registered Register() {
    auto r = repo().CreateFirstTeam("Acme", MakeUser("Admin@Acme.io", Role::kAdmin));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : IdentityRepository::Registered{};
  }

  // A second team, which the interface cannot create (registration is once).
  int64_t InsertSecondTeam() { return RawInsert("INSERT INTO teams(name, created_at) VALUES ('B', 0)"); }

  SessionRecord MakeSession(std::string digest, int64_t user_id) {
    return SessionRecord{.id_digest_hex = std::move(digest),
                         .user_id = user_id,
                         .created_at = kT0,
                         .last_seen_at = kT0,
                         .expires_at = kT0 + hours(24),
                         .revoked_at = std::nullopt,
                         .client_address = "10.0.0.1",
                         .user_agent = "curl/8"};
  }

  std::unique_ptr<MetaStore> store_;
};

OTELSTACK_INSTANTIATE_META_BACKENDS(IdentityRepositoryTest);

TEST(RoleTest, NamesRoundTripAndOrder) {
  for (Role role : {Role::kViewer, Role::kEditor, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(RoleName(Role::kViewer), "viewer");
  EXPECT_EQ(RoleName(Role::kEditor), "editor");
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
  EXPECT_EQ(ParseRole("owner"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
  EXPECT_LT(Role::kViewer, Role::kEditor);
  EXPECT_LT(Role::kEditor, Role::kAdmin);
}

TEST_P(IdentityRepositoryTest, FirstTeamIsCreatedOnceWithAnAdmin) {
  auto any = repo().AnyTeam();
  ASSERT_TRUE(any.ok()) << any.status().ToString();
  EXPECT_FALSE(*any);

  auto r = repo().CreateFirstTeam("Acme", MakeUser("Admin@Acme.IO", Role::kViewer));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->team.id, 0);
  EXPECT_EQ(r->team.name, "Acme");
  EXPECT_EQ(r->team.created_at, kT0);
  EXPECT_EQ(r->admin.team_id, r->team.id);
  EXPECT_EQ(r->admin.role, Role::kAdmin) << "the first user is an admin whatever the request said";
  EXPECT_EQ(r->admin.email, "admin@acme.io");
  EXPECT_EQ(r->admin.password_hash, "$argon2id$x");
  EXPECT_TRUE(*repo().AnyTeam());

  auto again = repo().CreateFirstTeam("Evil", MakeUser("evil@x.io"));
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists) << again.status().ToString();
  auto teams = repo().ListTeams();
  ASSERT_TRUE(teams.ok());
  ASSERT_EQ(teams->size(), 1u);
  EXPECT_EQ((*teams)[0].name, "Acme");
  EXPECT_EQ(repo().FindUserByEmail("evil@x.io").status().code(), Status::Code::kNotFound);

  ASSERT_TRUE(repo().RenameTeam(r->team.id, "Acme Inc").ok());
  EXPECT_EQ(repo().GetTeam(r->team.id)->name, "Acme Inc");
  EXPECT_EQ(repo().RenameTeam(999, "x").code(), Status::Code::kNotFound);
  EXPECT_EQ(repo().GetTeam(999).status().code(), Status::Code::kNotFound);
}

// Two processes (here: two connections to the same file) registering at once:
// exactly one wins, the other gets AlreadyExists, and one team exists.
class IdentityRaceTest : public MetaBackendTest {};
OTELSTACK_INSTANTIATE_META_BACKENDS(IdentityRaceTest);

TEST_P(IdentityRaceTest, ConcurrentFirstTeamOnTwoConnectionsHasOneWinner) {
  for (int round = 0; round < 8; ++round) {
    if (round > 0) UseFreshDatabase();
    if (IsSkipped() || HasFatalFailure()) return;
    auto a = OpenStore();
    auto b = OpenStore();
    ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString() << " / " << b.status().ToString();
    std::latch start(2);
    StatusOr<IdentityRepository::Registered> ra = Status::Internal("not run");
    StatusOr<IdentityRepository::Registered> rb = Status::Internal("not run");
    std::thread ta([&] {
      start.arrive_and_wait();
      ra = (*a)->identity().CreateFirstTeam("A", MakeUser("a@x.io"));
    });
    std::thread tb([&] {
      start.arrive_and_wait();
      rb = (*b)->identity().CreateFirstTeam("B", MakeUser("b@x.io"));
    });
    ta.join();
    tb.join();
    ASSERT_NE(ra.ok(), rb.ok()) << "round " << round << ": " << ra.status().ToString() << " / "
                                << rb.status().ToString();
    const Status& loser = ra.ok() ? rb.status() : ra.status();
    EXPECT_EQ(loser.code(), Status::Code::kAlreadyExists) << loser.ToString();
    auto teams = (*a)->identity().ListTeams();
    ASSERT_TRUE(teams.ok());
    ASSERT_EQ(teams->size(), 1u);
    auto users = (*b)->identity().ListUsers((*teams)[0].id);
    ASSERT_TRUE(users.ok());
    EXPECT_EQ(users->size(), 1u);
  }
}

TEST_P(IdentityRepositoryTest, EmailsAreUniqueWithoutCase) {
  auto reg = Register();
  auto bob = repo().CreateUser(reg.team.id, MakeUser("Bob@Example.COM", Role::kEditor));
  ASSERT_TRUE(bob.ok()) << bob.status().ToString();
  EXPECT_EQ(bob->email, "bob@example.com");
  EXPECT_EQ(bob->role, Role::kEditor);
  EXPECT_EQ(bob->team_id, reg.team.id);

  auto dup = repo().CreateUser(reg.team.id, MakeUser("BOB@example.com"));
  EXPECT_EQ(dup.status().code(), Status::Code::kAlreadyExists) << dup.status().ToString();

  int64_t other_team = InsertSecondTeam();
  ASSERT_GT(other_team, 0);
  dup = repo().CreateUser(other_team, MakeUser("bob@EXAMPLE.com"));
  EXPECT_EQ(dup.status().code(), Status::Code::kAlreadyExists) << "emails are unique across teams";

  auto found = repo().FindUserByEmail("BOB@EXAMPLE.COM");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, bob->id);
  EXPECT_EQ(repo().FindUserByEmail("nobody@example.com").status().code(), Status::Code::kNotFound);

  // The schema itself refuses a differently-cased duplicate written directly.
  EXPECT_EQ(RawInsert("INSERT INTO users(team_id, email, name, role, password_hash, created_at) VALUES (" +
                      std::to_string(reg.team.id) + ", 'BOB@example.com', 'x', 'viewer', 'h', 0)"),
            -1);

  EXPECT_EQ(repo().CreateUser(999, MakeUser("c@x.io")).status().code(), Status::Code::kNotFound);
}

TEST_P(IdentityRepositoryTest, UsersAreListedByTeamInIdOrder) {
  auto reg = Register();
  int64_t other_team = InsertSecondTeam();
  auto c = repo().CreateUser(reg.team.id, MakeUser("c@x.io"));
  auto elsewhere = repo().CreateUser(other_team, MakeUser("e@x.io"));
  auto d = repo().CreateUser(reg.team.id, MakeUser("d@x.io"));
  ASSERT_TRUE(c.ok() && d.ok() && elsewhere.ok());
  auto users = repo().ListUsers(reg.team.id);
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 3u);
  EXPECT_EQ((*users)[0].id, reg.admin.id);
  EXPECT_EQ((*users)[1].id, c->id);
  EXPECT_EQ((*users)[2].id, d->id);
  auto got = repo().GetUser(d->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->email, "d@x.io");
  EXPECT_EQ(got->created_at, kT0);
  EXPECT_EQ(repo().GetUser(999).status().code(), Status::Code::kNotFound);
}

TEST_P(IdentityRepositoryTest, TeamAlwaysKeepsAnAdmin) {
  auto reg = Register();
  const int64_t a = reg.admin.id;
  Status st = repo().SetRole(a, Role::kEditor);
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition) << st.ToString();
  EXPECT_NE(st.message().find("last admin"), std::string::npos) << st.ToString();
  EXPECT_EQ(repo().DeleteUser(a).code(), Status::Code::kFailedPrecondition);
  EXPECT_TRUE(repo().SetRole(a, Role::kAdmin).ok()) << "an admin staying admin is fine";
  EXPECT_EQ(repo().GetUser(a)->role, Role::kAdmin);

  auto b = repo().CreateUser(reg.team.id, MakeUser("b@x.io", Role::kViewer));
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(repo().SetRole(b->id, Role::kEditor).ok()) << "changing a non-admin needs no other admin";
  ASSERT_TRUE(repo().SetRole(b->id, Role::kAdmin).ok());
  ASSERT_TRUE(repo().SetRole(a, Role::kViewer).ok()) << "b is now an admin too";
  EXPECT_EQ(repo().GetUser(a)->role, Role::kViewer);
  EXPECT_EQ(repo().DeleteUser(b->id).code(), Status::Code::kFailedPrecondition) << "b is the last admin now";
  EXPECT_EQ(repo().SetRole(b->id, Role::kViewer).code(), Status::Code::kFailedPrecondition);
  ASSERT_TRUE(repo().DeleteUser(a).ok()) << "deleting a viewer is fine";
  EXPECT_EQ(repo().GetUser(a).status().code(), Status::Code::kNotFound);

  EXPECT_EQ(repo().SetRole(999, Role::kViewer).code(), Status::Code::kNotFound);
  EXPECT_EQ(repo().DeleteUser(999).code(), Status::Code::kNotFound);
  EXPECT_EQ(repo().DeleteUser(a).code(), Status::Code::kNotFound);
}

TEST_P(IdentityRepositoryTest, AdminsOfAnotherTeamDoNotCount) {
  auto reg = Register();
  int64_t other_team = InsertSecondTeam();
  ASSERT_TRUE(repo().CreateUser(other_team, MakeUser("other-admin@x.io", Role::kAdmin)).ok());
  EXPECT_EQ(repo().SetRole(reg.admin.id, Role::kViewer).code(), Status::Code::kFailedPrecondition);
}

TEST_P(IdentityRepositoryTest, SessionsLifecycle) {
  auto reg = Register();
  const int64_t uid = reg.admin.id;
  ASSERT_TRUE(repo().CreateSession(MakeSession("s1", uid)).ok());
  EXPECT_EQ(repo().CreateSession(MakeSession("s1", uid)).code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(repo().CreateSession(MakeSession("s9", 999)).code(), Status::Code::kNotFound);

  auto s = repo().GetSession("s1");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->user_id, uid);
  EXPECT_EQ(s->created_at, kT0);
  EXPECT_EQ(s->expires_at, kT0 + hours(24));
  EXPECT_FALSE(s->revoked_at);
  EXPECT_EQ(s->client_address, "10.0.0.1");
  EXPECT_EQ(s->user_agent, "curl/8");
  EXPECT_EQ(repo().GetSession("nope").status().code(), Status::Code::kNotFound);

  ASSERT_TRUE(repo().TouchSession("s1", kT0 + hours(1), kT0 + hours(25)).ok());
  s = repo().GetSession("s1");
  EXPECT_EQ(s->last_seen_at, kT0 + hours(1));
  EXPECT_EQ(s->expires_at, kT0 + hours(25));
  EXPECT_EQ(repo().TouchSession("nope", kT0, kT0).code(), Status::Code::kNotFound);

  ASSERT_TRUE(repo().RevokeSession("s1", kT0 + hours(2)).ok());
  ASSERT_TRUE(repo().RevokeSession("s1", kT0 + hours(3)).ok());
  s = repo().GetSession("s1");
  ASSERT_TRUE(s.ok()) << "revoked sessions are still returned";
  EXPECT_EQ(s->revoked_at, kT0 + hours(2)) << "the first revocation time is kept";
  EXPECT_EQ(repo().RevokeSession("nope", kT0).code(), Status::Code::kNotFound);

  ASSERT_TRUE(repo().CreateSession(MakeSession("s2", uid)).ok());
  ASSERT_TRUE(repo().CreateSession(MakeSession("s3", uid)).ok());
  ASSERT_TRUE(repo().RevokeUserSessions(uid, kT0 + hours(4)).ok());
  EXPECT_EQ(repo().GetSession("s2")->revoked_at, kT0 + hours(4));
  EXPECT_EQ(repo().GetSession("s3")->revoked_at, kT0 + hours(4));
  EXPECT_EQ(repo().GetSession("s1")->revoked_at, kT0 + hours(2));
}

TEST_P(IdentityRepositoryTest, DeleteSessionsEndedBefore) {
  auto reg = Register();
  const int64_t uid = reg.admin.id;
  SessionRecord expired = MakeSession("expired", uid);
  expired.expires_at = kT0 + hours(1);
  SessionRecord revoked = MakeSession("revoked", uid);
  revoked.revoked_at = kT0 + hours(1);
  SessionRecord revoked_later = MakeSession("revoked-later", uid);
  revoked_later.revoked_at = kT0 + hours(3);
  SessionRecord live = MakeSession("live", uid);
  for (const SessionRecord& s : {expired, revoked, revoked_later, live}) ASSERT_TRUE(repo().CreateSession(s).ok());

  ASSERT_TRUE(repo().DeleteSessionsEndedBefore(kT0 + hours(2)).ok());
  EXPECT_EQ(repo().GetSession("expired").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(repo().GetSession("revoked").status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(repo().GetSession("revoked-later").ok());
  EXPECT_TRUE(repo().GetSession("live").ok());
}

TEST_P(IdentityRepositoryTest, SetPasswordRevokesOnlyThatUsersSessions) {
  auto reg = Register();
  auto other = repo().CreateUser(reg.team.id, MakeUser("o@x.io"));
  ASSERT_TRUE(other.ok());
  SessionRecord old_revoked = MakeSession("old", reg.admin.id);
  old_revoked.revoked_at = kT0 + minutes(1);
  ASSERT_TRUE(repo().CreateSession(old_revoked).ok());
  ASSERT_TRUE(repo().CreateSession(MakeSession("a1", reg.admin.id)).ok());
  ASSERT_TRUE(repo().CreateSession(MakeSession("a2", reg.admin.id)).ok());
  ASSERT_TRUE(repo().CreateSession(MakeSession("o1", other->id)).ok());

  const TimePoint at = kT0 + hours(5);
  ASSERT_TRUE(repo().SetPassword(reg.admin.id, "$argon2id$new", at).ok());
  EXPECT_EQ(repo().GetUser(reg.admin.id)->password_hash, "$argon2id$new");
  EXPECT_EQ(repo().GetSession("a1")->revoked_at, at);
  EXPECT_EQ(repo().GetSession("a2")->revoked_at, at);
  EXPECT_EQ(repo().GetSession("old")->revoked_at, kT0 + minutes(1));
  EXPECT_FALSE(repo().GetSession("o1")->revoked_at);

  EXPECT_EQ(repo().SetPassword(999, "h", at).code(), Status::Code::kNotFound);
}

TEST_P(IdentityRepositoryTest, DeleteUserTakesSessionsAndKeysAlong) {
  auto reg = Register();
  auto u = repo().CreateUser(reg.team.id, MakeUser("u@x.io"));
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(repo().CreateSession(MakeSession("su", u->id)).ok());
  ASSERT_TRUE(repo().CreateSession(MakeSession("sa", reg.admin.id)).ok());
  ASSERT_TRUE(repo().CreatePersonalKey(MakeKey(u->id, "k", "du"), std::nullopt).ok());
  ASSERT_TRUE(repo().DeleteUser(u->id).ok());
  EXPECT_EQ(repo().GetUser(u->id).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(repo().GetSession("su").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(repo().FindPersonalKeyByDigest("du").status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(repo().GetSession("sa").ok());
  // The email is free again; the new user gets a fresh id (ids are not reused).
  auto again = repo().CreateUser(reg.team.id, MakeUser("u@x.io"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_GT(again->id, u->id);
}

class InvitationTest : public IdentityRepositoryTest {
 protected:
  Invitation MakeInvitation(int64_t team_id, std::string token, Role role = Role::kEditor) {
    Invitation inv;
    inv.team_id = team_id;
    inv.token_digest_hex = std::move(token);
    inv.email = "New@X.io";
    inv.role = role;
    inv.created_by = 1;
    inv.created_at = kT0;
    inv.expires_at = kT0 + hours(48);
    return inv;
  }
};

OTELSTACK_INSTANTIATE_META_BACKENDS(InvitationTest);

TEST_P(InvitationTest, CreateListGetDelete) {
  auto reg = Register();
  int64_t other_team = InsertSecondTeam();
  auto i1 = repo().CreateInvitation(MakeInvitation(reg.team.id, "t1"));
  ASSERT_TRUE(i1.ok()) << i1.status().ToString();
  EXPECT_GT(i1->id, 0);
  EXPECT_EQ(i1->email, "new@x.io");
  EXPECT_EQ(i1->role, Role::kEditor);
  EXPECT_EQ(i1->created_by, 1);
  EXPECT_EQ(i1->expires_at, kT0 + hours(48));
  EXPECT_FALSE(i1->used_at);
  EXPECT_FALSE(i1->used_by);
  auto i2 = repo().CreateInvitation(MakeInvitation(reg.team.id, "t2", Role::kViewer));
  auto elsewhere = repo().CreateInvitation(MakeInvitation(other_team, "t3"));
  ASSERT_TRUE(i2.ok() && elsewhere.ok());
  EXPECT_EQ(repo().CreateInvitation(MakeInvitation(reg.team.id, "t1")).status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(repo().CreateInvitation(MakeInvitation(999, "t4")).status().code(), Status::Code::kNotFound);

  auto list = repo().ListInvitations(reg.team.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, i1->id);
  EXPECT_EQ((*list)[1].id, i2->id);
  auto got = repo().GetInvitationByToken("t2");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, i2->id);
  EXPECT_EQ(repo().GetInvitationByToken("nope").status().code(), Status::Code::kNotFound);

  EXPECT_EQ(repo().DeleteInvitation(other_team, i1->id).code(), Status::Code::kNotFound) << "team-scoped";
  ASSERT_TRUE(repo().DeleteInvitation(reg.team.id, i1->id).ok());
  EXPECT_EQ(repo().DeleteInvitation(reg.team.id, i1->id).code(), Status::Code::kNotFound);
  EXPECT_EQ(repo().GetInvitationByToken("t1").status().code(), Status::Code::kNotFound);
}

TEST_P(InvitationTest, AcceptIsSingleUseAndTakesTheInvitationsTeamAndRole) {
  auto reg = Register();
  int64_t other_team = InsertSecondTeam();
  ASSERT_TRUE(repo().CreateInvitation(MakeInvitation(other_team, "t", Role::kEditor)).ok());

  const TimePoint at = kT0 + hours(1);
  auto user = repo().AcceptInvitation("t", MakeUser("NEW@x.io", Role::kAdmin, at));
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->team_id, other_team) << "the invitation decides the team";
  EXPECT_EQ(user->role, Role::kEditor) << "the invitation decides the role";
  EXPECT_EQ(user->email, "new@x.io");
  auto inv = repo().GetInvitationByToken("t");
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->used_at, at);
  EXPECT_EQ(inv->used_by, user->id);

  auto second = repo().AcceptInvitation("t", MakeUser("another@x.io", Role::kViewer, at));
  EXPECT_EQ(second.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("already used"), std::string::npos) << second.status().ToString();
  EXPECT_EQ(repo().FindUserByEmail("another@x.io").status().code(), Status::Code::kNotFound);

  EXPECT_EQ(repo().AcceptInvitation("nope", MakeUser("z@x.io")).status().code(), Status::Code::kNotFound);
  (void)reg;
}

TEST_P(InvitationTest, ExpiredInvitationIsRefusedAndStaysUnused) {
  auto reg = Register();
  ASSERT_TRUE(repo().CreateInvitation(MakeInvitation(reg.team.id, "t")).ok());
  auto late = repo().AcceptInvitation("t", MakeUser("late@x.io", Role::kViewer, kT0 + hours(48)));
  EXPECT_EQ(late.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(late.status().message().find("expired"), std::string::npos) << late.status().ToString();
  EXPECT_EQ(late.status().message().find("already used"), std::string::npos);
  EXPECT_EQ(repo().FindUserByEmail("late@x.io").status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(repo().GetInvitationByToken("t")->used_at);

  auto in_time = repo().AcceptInvitation("t", MakeUser("late@x.io", Role::kViewer, kT0 + hours(48) - minutes(1)));
  EXPECT_TRUE(in_time.ok()) << in_time.status().ToString();
}

TEST_P(InvitationTest, TakenEmailLeavesTheInvitationUnused) {
  auto reg = Register();
  ASSERT_TRUE(repo().CreateInvitation(MakeInvitation(reg.team.id, "t")).ok());
  auto taken = repo().AcceptInvitation("t", MakeUser("ADMIN@acme.io", Role::kViewer, kT0 + hours(1)));
  EXPECT_EQ(taken.status().code(), Status::Code::kAlreadyExists) << taken.status().ToString();
  auto inv = repo().GetInvitationByToken("t");
  ASSERT_TRUE(inv.ok());
  EXPECT_FALSE(inv->used_at) << "a failed accept must not consume the invitation";
  EXPECT_TRUE(repo().AcceptInvitation("t", MakeUser("fresh@x.io", Role::kViewer, kT0 + hours(1))).ok());
}

class InvitationRaceTest : public MetaBackendTest {};
OTELSTACK_INSTANTIATE_META_BACKENDS(InvitationRaceTest);

TEST_P(InvitationRaceTest, ConcurrentAcceptOnTwoConnectionsHasOneWinner) {
  for (int round = 0; round < 8; ++round) {
    if (round > 0) UseFreshDatabase();
    if (IsSkipped() || HasFatalFailure()) return;
    auto a = OpenStore();
    auto b = OpenStore();
    ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString() << " / " << b.status().ToString();
    auto reg = (*a)->identity().CreateFirstTeam("T", MakeUser("admin@x.io"));
    ASSERT_TRUE(reg.ok());
    Invitation inv;
    inv.team_id = reg->team.id;
    inv.token_digest_hex = "tok";
    inv.created_at = kT0;
    inv.expires_at = kT0 + hours(1);
    ASSERT_TRUE((*a)->identity().CreateInvitation(inv).ok());

    std::latch start(2);
    StatusOr<User> ua = Status::Internal("not run");
    StatusOr<User> ub = Status::Internal("not run");
    std::thread ta([&] {
      start.arrive_and_wait();
      ua = (*a)->identity().AcceptInvitation("tok", MakeUser("ua@x.io"));
    });
    std::thread tb([&] {
      start.arrive_and_wait();
      ub = (*b)->identity().AcceptInvitation("tok", MakeUser("ub@x.io"));
    });
    ta.join();
    tb.join();
    ASSERT_NE(ua.ok(), ub.ok()) << ua.status().ToString() << " / " << ub.status().ToString();
    const Status& loser = ua.ok() ? ub.status() : ua.status();
    EXPECT_EQ(loser.code(), Status::Code::kFailedPrecondition) << loser.ToString();
    auto users = (*a)->identity().ListUsers(reg->team.id);
    ASSERT_TRUE(users.ok());
    EXPECT_EQ(users->size(), 2u);
  }
}

TEST_P(IdentityRepositoryTest, PersonalKeysRotateWithRetirementInOneTransaction) {
  auto reg = Register();
  const int64_t uid = reg.admin.id;
  auto other = repo().CreateUser(reg.team.id, MakeUser("o@x.io"));
  ASSERT_TRUE(other.ok());

  auto k1 = repo().CreatePersonalKey(MakeKey(uid, "ci", "d1"), std::nullopt);
  ASSERT_TRUE(k1.ok()) << k1.status().ToString();
  EXPECT_GT(k1->id, 0);
  EXPECT_EQ(k1->name, "ci");
  EXPECT_FALSE(k1->expires_at);
  EXPECT_TRUE(k1->ActiveAt(kT0 + hours(1000)));
  auto ko = repo().CreatePersonalKey(MakeKey(other->id, "o", "do"), std::nullopt);
  ASSERT_TRUE(ko.ok());

  EXPECT_EQ(repo().CreatePersonalKey(MakeKey(uid, "dup", "d1"), std::nullopt).status().code(),
            Status::Code::kAlreadyExists);
  EXPECT_EQ(repo().CreatePersonalKey(MakeKey(999, "x", "dx"), std::nullopt).status().code(), Status::Code::kNotFound);

  // Retiring another user's key fails, and the new key is not inserted.
  auto bad = repo().CreatePersonalKey(MakeKey(uid, "ci", "d2"), Retirement{.id = ko->id, .expires_at = kT0 + hours(1)});
  EXPECT_EQ(bad.status().code(), Status::Code::kNotFound) << bad.status().ToString();
  EXPECT_EQ(repo().FindPersonalKeyByDigest("d2").status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(repo().FindPersonalKeyByDigest("do")->expires_at);

  auto k2 = repo().CreatePersonalKey(MakeKey(uid, "ci", "d2"), Retirement{.id = k1->id, .expires_at = kT0 + hours(2)});
  ASSERT_TRUE(k2.ok()) << k2.status().ToString();
  EXPECT_EQ(repo().FindPersonalKeyByDigest("d1")->expires_at, kT0 + hours(2));
  // A later retirement never extends the grace already given.
  auto k3 = repo().CreatePersonalKey(MakeKey(uid, "ci", "d3"), Retirement{.id = k1->id, .expires_at = kT0 + hours(5)});
  ASSERT_TRUE(k3.ok());
  EXPECT_EQ(repo().FindPersonalKeyByDigest("d1")->expires_at, kT0 + hours(2));

  auto list = repo().ListPersonalKeys(uid);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, k1->id);
  EXPECT_EQ((*list)[1].id, k2->id);
  EXPECT_EQ((*list)[2].id, k3->id);
  EXPECT_EQ(repo().FindPersonalKeyByDigest("nope").status().code(), Status::Code::kNotFound);
}

TEST_P(IdentityRepositoryTest, PersonalKeyRevokeAndTouch) {
  auto reg = Register();
  const int64_t uid = reg.admin.id;
  auto other = repo().CreateUser(reg.team.id, MakeUser("o@x.io"));
  auto k = repo().CreatePersonalKey(MakeKey(uid, "k", "d"), std::nullopt);
  ASSERT_TRUE(other.ok() && k.ok());

  EXPECT_EQ(repo().RevokePersonalKey(other->id, k->id, kT0).code(), Status::Code::kNotFound)
      << "another user cannot revoke it";
  EXPECT_FALSE(repo().FindPersonalKeyByDigest("d")->revoked_at);

  ASSERT_TRUE(repo().TouchPersonalKey(k->id, kT0 + hours(2)).ok());
  ASSERT_TRUE(repo().TouchPersonalKey(k->id, kT0 + hours(1)).ok());
  EXPECT_EQ(repo().FindPersonalKeyByDigest("d")->last_used_at, kT0 + hours(2)) << "last_used_at only moves forward";
  EXPECT_TRUE(repo().TouchPersonalKey(999, kT0).ok());

  ASSERT_TRUE(repo().RevokePersonalKey(uid, k->id, kT0 + hours(3)).ok());
  ASSERT_TRUE(repo().RevokePersonalKey(uid, k->id, kT0 + hours(4)).ok());
  auto revoked = repo().FindPersonalKeyByDigest("d");
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->revoked_at, kT0 + hours(3));
  EXPECT_FALSE(revoked->ActiveAt(kT0 + hours(3)));
  EXPECT_EQ(repo().RevokePersonalKey(uid, 999, kT0).code(), Status::Code::kNotFound);
}

TEST_P(IdentityRepositoryTest, TeamSettingsAreScopedByTeam) {
  auto reg = Register();
  int64_t other_team = InsertSecondTeam();
  auto missing = repo().GetTeamSetting(reg.team.id, "query_limits");
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_FALSE(*missing);

  ASSERT_TRUE(repo().SetTeamSetting(reg.team.id, "query_limits", R"({"max_rows":100})").ok());
  ASSERT_TRUE(repo().SetTeamSetting(reg.team.id, "query_limits", R"({"max_rows":200})").ok());
  auto got = repo().GetTeamSetting(reg.team.id, "query_limits");
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ(**got, R"({"max_rows":200})");
  EXPECT_FALSE(*repo().GetTeamSetting(other_team, "query_limits"));
  EXPECT_EQ(repo().SetTeamSetting(999, "query_limits", "{}").code(), Status::Code::kNotFound);
}

TEST(IdentityStoreTest, FilesStayPrivateAndDataSurvivesReopen) {
  TempDir tmp;
  mode_t old_umask = ::umask(0);
  int64_t team_id = 0;
  {
    auto store = MetaStore::Open(tmp.path());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto reg = (*store)->identity().CreateFirstTeam("T", MakeUser("a@x.io"));
    ASSERT_TRUE(reg.ok());
    team_id = reg->team.id;
    EXPECT_EQ(FileMode(tmp.Sub("meta.db")), 0600);
    EXPECT_EQ(FileMode(tmp.Sub("meta.db-wal")), 0600);
    EXPECT_EQ(FileMode(tmp.Sub("meta.db-shm")), 0600);
  }
  ::umask(old_umask);
  auto store = MetaStore::Open(tmp.path());
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(*(*store)->identity().AnyTeam());
  auto users = (*store)->identity().ListUsers(team_id);
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].email, "a@x.io");
}

// A meta.db written by a binary that knew only migrations 1 and 2 is
// upgraded in place, keeping its data.
TEST(IdentityStoreTest, UpgradesADatabaseAtVersionTwo) {
  TempDir tmp;
  const std::string path = tmp.Sub("meta.db");
  {
    auto db = SqliteDb::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    auto lock = (*db)->Lock();
    ASSERT_TRUE((*db)->Exec("PRAGMA foreign_keys=ON").ok());
    int64_t version = 0;
    Status st = ApplyMigrations(**db, KnownMigrations().first(2), &version);
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_EQ(version, 2);
    ASSERT_TRUE(
        (*db)->Exec("INSERT INTO settings(name, value, updated_at) VALUES ('retention.override.logs', '60', 0)").ok());
  }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);

  auto store = MetaStore::Open(tmp.path());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->schema_version(), KnownMigrations().back().version);
  EXPECT_EQ(FileMode(path), 0600);
  auto overrides = (*store)->retention_settings().ListOverrides();
  ASSERT_TRUE(overrides.ok());
  ASSERT_EQ(overrides->size(), 1u) << "data from version 2 survives";
  EXPECT_FALSE(*(*store)->identity().AnyTeam());
  auto reg = (*store)->identity().CreateFirstTeam("T", MakeUser("a@x.io"));
  ASSERT_TRUE(reg.ok()) << reg.status().ToString();
  Document doc;
  doc.team_id = reg->team.id;
  doc.kind = DocumentKind::kSource;
  doc.name = "Logs";
  doc.json = "{}";
  EXPECT_TRUE((*store)->documents().Insert(doc).ok());
}

}  // namespace
}  // namespace otelstack::meta
