// `otelstack users create|list|reset-password|set-role`: manage app users in
// a data directory's metadata store, for automation and for recovering a
// lost admin password. Works while the server runs (sessions are checked
// against the store on every request, so a reset takes effect at once).
//
// Passwords: read from standard input with --password-stdin (one line; the
// policy applies), otherwise a random policy-compliant password is generated
// and printed once. reset-password ends every session of the user.
// create on a data directory without a team creates the team (--team), its
// built-in connection and sources, and makes the user its admin, like the
// first registration in the UI.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace otelstack::cli {

class UsersCommand {
 public:
  explicit UsersCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  CLI::App* create_;
  CLI::App* list_;
  CLI::App* reset_password_;
  CLI::App* set_role_;
  std::string data_dir_ = "./data";
  std::string meta_database_url_;  // empty: SQLite in data_dir_
  std::string email_;
  std::string name_;
  std::string role_ = "viewer";
  std::string team_ = "My Team";
  bool password_stdin_ = false;
};

}  // namespace otelstack::cli
