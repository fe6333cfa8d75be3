// Retention per signal, for admins (Team Settings → Retention): the same
// settings `otelstack retention show|set|unset` works on.
//
//   GET    /api/team/retention           admin  {signals:[{signal, configuredSeconds, configuredSource,
//                                                 overrideSeconds|null, effectiveSeconds}]}
//   PUT    /api/team/retention/:signal   admin  {seconds}: an override (0 keeps forever, else >= 60)
//   DELETE /api/team/retention/:signal   admin  back to the configured value
// The server applies a change within about a second (server.h) and drops
// expired days then; what is dropped never comes back.
#pragma once

#include "api/route.h"
#include "api/services.h"

namespace otelstack::api {

void AddRetentionRoutes(const ApiServices& services, Routes* routes);

}  // namespace otelstack::api
