// The team's configuration: connections, sources, saved searches and
// dashboards (HyperDX's shapes; see source_model.h and dashboard_model.h).
// Everything is scoped to the caller's team: another team's id is 404.
// Lists are {"data":[...]}, single objects are the object, ids are decimal
// strings, DELETE answers 200 {}. Request bodies are at most 1 MiB.
//
// Connections — session only, admin only for every method (they hold
// credentials):
//   GET    /api/connections              {"data":[connection]}
//   POST   /api/connections              {name, url (or HyperDX's "host"), username?, password?}
//   GET    /api/connections/:id
//   PUT    /api/connections/:id          same body; a missing or null password keeps the
//                                        stored one, "" removes it
//   DELETE /api/connections/:id          409 if a source uses it (the message names it)
//   POST   /api/connections/test         {url, username?, password?} -> {"ok":true} or
//                                        {"ok":false,"error":"..."} within 2 s (SELECT 1)
//   The Embedded connection cannot be changed or deleted (409); connection
//   names are unique in a team (409). Passwords are sealed (connection_model.h)
//   and never returned: "hasPassword" instead.
//
// Sources — session or key; read: viewer, write: editor:
//   GET /api/v2/sources, GET /api/v2/sources/:id, POST /api/v2/sources,
//   PUT /api/v2/sources/:id, DELETE /api/v2/sources/:id
//   The connection must exist in the team; on Embedded the table must be one
//   of its tables and serve the source's kind (embedded_tables.h). Source
//   names are unique in a team (dashboard export refers to sources by name).
//   logSourceId/traceSourceId must name existing sources of the team when
//   written. Deleting a source that others (links, saved searches, dashboard
//   tiles) refer to is allowed: the references dangle and are returned as
//   they are; readers treat an unknown source id as missing.
//   Audit sources (Embedded otelstack_audit) exist for admins only: hidden
//   from other callers' lists, 404 by id, and only admins may create one.
//
// Saved searches — session or key; read: viewer, write: editor:
//   GET/POST /api/v2/saved-searches, GET/PUT/DELETE /api/v2/saved-searches/:id
//   {id, name, sourceId, where, whereLanguage ("lucene"|"sql"), select, orderBy, tags[]}
//   sourceId must be a source the caller can see.
//
// Dashboards — session or key; read: viewer, write: editor:
//   GET/POST /api/v2/dashboards, GET/PUT/DELETE /api/v2/dashboards/:id
//   GET  /api/v2/dashboards/:id/export   -> {"version":1,"name","tiles","tags"}, tile sources
//                                           given by source name (dangling ones left out)
//   POST /api/v2/dashboards/import       that document -> a new dashboard, source names
//                                           mapped to this team's sources (400 naming an
//                                           unknown one)
//
// Every document records created_by = the caller's user id when created.
#pragma once

#include "api/route.h"
#include "api/services.h"

namespace otelstack::api {

void AddConfigRoutes(const ApiServices& services, Routes* routes);

// The four groups AddConfigRoutes adds.
void AddConnectionRoutes(const ApiServices& services, Routes* routes);
void AddSourceRoutes(const ApiServices& services, Routes* routes);
void AddSavedSearchRoutes(const ApiServices& services, Routes* routes);
void AddDashboardRoutes(const ApiServices& services, Routes* routes);

}  // namespace otelstack::api
