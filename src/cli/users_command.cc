#include "cli/users_command.h"

#include <sys/stat.h>

#include <iostream>

#include "api/services.h"
#include "api/source_model.h"
#include "auth/password_hash.h"
#include "auth/password_policy.h"
#include "cli/meta_store_flags.h"
#include "common/file_util.h"
#include "meta/meta_store.h"
#include "meta/meta_store_location.h"

namespace otelstack::cli {

namespace {

int Fail(const Status& s) {
  std::cerr << "otelstack users: " << s.ToString() << "\n";
  return 1;
}

// 20 characters from a 62-letter alphabet (~119 bits) plus one of each class
// the policy requires.
StatusOr<std::string> GeneratePassword() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string random;
  OTELSTACK_RETURN_IF_ERROR(RandomBytes(20, &random));
  std::string password;
  for (unsigned char c : random) password.push_back(kAlphabet[c % 62]);
  return password + "aZ7-";
}

// The new password: one line from stdin, or generated (printed by the caller).
StatusOr<std::string> NewPassword(bool from_stdin, bool* generated) {
  *generated = !from_stdin;
  if (!from_stdin) return GeneratePassword();
  std::string line;
  if (!std::getline(std::cin, line)) return Status::InvalidArgument("--password-stdin: no line on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  OTELSTACK_RETURN_IF_ERROR(auth::CheckPasswordPolicy(line));
  return line;
}

}  // namespace

UsersCommand::UsersCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("users", "Manage app users (create, list, reset-password, set-role)");
  cmd_->require_subcommand(1);
  create_ = cmd_->add_subcommand("create", "Create a user (the first one creates the team and is its admin)");
  create_->add_option("--email", email_, "Email address (the login)")->required();
  create_->add_option("--name", name_, "Display name");
  create_->add_option("--role", role_, "admin, editor or viewer")
      ->check(CLI::IsMember({"admin", "editor", "viewer"}))
      ->capture_default_str();
  create_->add_option("--team", team_, "Team name when no team exists yet")->capture_default_str();
  list_ = cmd_->add_subcommand("list", "List users: id, email, role, team, name (tab-separated)");
  reset_password_ = cmd_->add_subcommand("reset-password", "Set a new password and end the user's sessions");
  reset_password_->add_option("--email", email_, "Email address")->required();
  set_role_ = cmd_->add_subcommand("set-role", "Change a user's role");
  set_role_->add_option("--email", email_, "Email address")->required();
  set_role_->add_option("--role", role_, "admin, editor or viewer")
      ->check(CLI::IsMember({"admin", "editor", "viewer"}))
      ->required();
  for (CLI::App* sub : {create_, reset_password_}) {
    sub->add_flag("--password-stdin", password_stdin_,
                  "Read the password from one line of standard input (else one is generated and printed once)");
  }
  for (CLI::App* sub : {create_, list_, reset_password_, set_role_}) {
    sub->add_option("--data-dir", data_dir_, "Data directory of the server")
        ->envname("OTELSTACK_DATA_DIR")
        ->capture_default_str();
    AddMetaDatabaseUrlOption(sub, &meta_database_url_);
  }
}

int UsersCommand::Run() {
  umask(077);
  Status s = EnsureDir(data_dir_, 0700);
  if (!s.ok()) return Fail(s);
  auto store = meta::OpenMetaStore({.data_dir = data_dir_, .database_url = meta_database_url_});
  if (!store.ok()) return Fail(store.status());
  meta::IdentityRepository& identity = (*store)->identity();

  if (list_->parsed()) {
    auto teams = identity.ListTeams();
    if (!teams.ok()) return Fail(teams.status());
    for (const meta::Team& team : *teams) {
      auto users = identity.ListUsers(team.id);
      if (!users.ok()) return Fail(users.status());
      for (const meta::User& u : *users) {
        std::cout << u.id << "\t" << u.email << "\t" << meta::RoleName(u.role) << "\t" << team.name << "\t" << u.name
                  << "\n";
      }
    }
    return 0;
  }

  std::string email = auth::NormalizeEmail(email_);
  if (set_role_->parsed()) {
    auto user = identity.FindUserByEmail(email);
    if (!user.ok()) return Fail(user.status().WithContext(email));
    s = identity.SetRole(user->id, *meta::ParseRole(role_));
    if (!s.ok()) return Fail(s);
    std::cout << email << " is now " << role_ << "\n";
    return 0;
  }

  bool generated = false;
  auto password = NewPassword(password_stdin_, &generated);
  if (!password.ok()) return Fail(password.status());
  auto hash = auth::HashPassword(*password);
  if (!hash.ok()) return Fail(hash.status());

  if (reset_password_->parsed()) {
    auto user = identity.FindUserByEmail(email);
    if (!user.ok()) return Fail(user.status().WithContext(email));
    s = identity.SetPassword(user->id, *hash, std::chrono::system_clock::now());
    if (!s.ok()) return Fail(s);
    std::cout << "password of " << email << " reset; every session of the user has ended\n";
  } else {
    s = auth::CheckEmail(email);
    if (!s.ok()) return Fail(s.WithContext("--email"));
    meta::NewUser user;
    user.email = email;
    user.name = name_;
    user.role = *meta::ParseRole(role_);
    user.password_hash = *hash;
    user.created_at = std::chrono::system_clock::now();
    auto any = identity.AnyTeam();
    if (!any.ok()) return Fail(any.status());
    if (!*any) {
      auto registered = identity.CreateFirstTeam(team_, user);
      if (!registered.ok()) return Fail(registered.status());
      // The built-in connection and sources, as registration through the API creates them.
      api::ApiServices services;
      services.meta = store->get();
      s = api::EnsureTeamDefaults(services, registered->team.id);
      if (!s.ok()) return Fail(s);
      std::cout << "created team '" << team_ << "' with admin " << email << "\n";
    } else {
      auto teams = identity.ListTeams();
      if (!teams.ok()) return Fail(teams.status());
      auto created = identity.CreateUser(teams->front().id, user);
      if (!created.ok()) return Fail(created.status());
      std::cout << "created " << role_ << " " << email << " in team '" << teams->front().name << "'\n";
    }
  }
  if (generated) std::cout << "password (shown once): " << *password << "\n";
  return 0;
}

}  // namespace otelstack::cli
