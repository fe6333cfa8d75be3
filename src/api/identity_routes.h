// Registration, login, logout, the current user, password change, and
// joining a team by invitation.
//
//   POST /api/register/password  public  {email, password, confirmPassword, name?, teamName?}
//        Only while no team exists (409 after): creates the team, its first
//        admin, the Embedded connection and default sources; logs in.
//   GET  /api/installation       public  {teamExists}: whether registration is still open
//   POST /api/login/password     public  {email, password} -> {user, csrfToken} + session cookie;
//        401 for a wrong email or password (same message for both), 429 +
//        Retry-After when throttled (per account and per client address).
//   POST /api/logout             session  revokes the session, clears the cookie
//   GET  /api/me                 session  {user, team, csrfToken}
//   POST /api/me/password        session  {currentPassword, newPassword, confirmPassword}:
//        revokes every session of the user, then starts a new one
//   GET  /api/join-team/:token   public  what the invitation is for (404 unknown, 409 used/expired)
//   POST /api/join-team          public  {token, email, name?, password, confirmPassword}: creates
//        the member with the invitation's role and logs in
// Every outcome that matters is recorded in the session log (audit/).
#pragma once

#include "api/route.h"
#include "api/services.h"

namespace otelstack::api {

void AddIdentityRoutes(const ApiServices& services, Routes* routes);

}  // namespace otelstack::api
