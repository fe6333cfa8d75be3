// Ingestion keys (what OTLP senders present; admins only, since a key lets
// anyone write into the store) and personal access keys (what a user's
// scripts present to /api/v2 as `Authorization: Bearer osk_...`).
//
//   GET    /api/ingestion-keys              admin  {data:[key...]} (never the key itself)
//   POST   /api/ingestion-keys              admin  {name} -> {key, raw}
//   POST   /api/ingestion-keys/:id/reveal   admin  {raw}
//   POST   /api/ingestion-keys/:id/rotate   admin  {graceSeconds?} -> {key, raw}; the old key
//                                                  keeps working for the grace period (default 24 h)
//   DELETE /api/ingestion-keys/:id          admin  revoke now
//   GET    /api/ingest-endpoints            any    {otlpHttpPort, otlpGrpcPort, tls}: where to send
//   GET    /api/me/keys                     any    your personal keys
//   POST   /api/me/keys                     any    {name} -> {key, raw}
//   POST   /api/me/keys/:id/rotate          any    {graceSeconds?} -> {key, raw}
//   DELETE /api/me/keys/:id                 any    revoke now
// Raw keys appear only in these responses; creations, reveals and
// revocations are recorded in the session log.
#pragma once

#include "api/route.h"
#include "api/services.h"

namespace otelstack::api {

void AddKeyRoutes(const ApiServices& services, Routes* routes);

}  // namespace otelstack::api
