// The team, its members and invitations.
//
//   GET    /api/team                    viewer  {id, name}
//   PATCH  /api/team                    admin   {name}
//   GET    /api/team/members            viewer  {data:[user...]}
//   PATCH  /api/team/members/:id        admin   {role}   (409 if it would leave no admin)
//   DELETE /api/team/members/:id        admin           (their sessions and keys go too)
//   GET    /api/team/invitations        admin   {data:[invitation...]}
//   POST   /api/team/invitations        admin   {email?, role} -> {invitation, token, url}
//          a single-use link /join-team?token=<64 hex>, valid 30 days; the
//          token is shown once (the database has only its digest)
//   DELETE /api/team/invitations/:id    admin
#pragma once

#include <chrono>

#include "api/route.h"
#include "api/services.h"

namespace otelstack::api {

inline constexpr std::chrono::hours kInvitationLifetime{24 * 30};

void AddTeamRoutes(const ApiServices& services, Routes* routes);

}  // namespace otelstack::api
