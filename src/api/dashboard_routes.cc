// Dashboards routes, export and import (see config_routes.h).
#include <map>
#include <utility>

#include "api/config_common.h"
#include "api/config_routes.h"
#include "api/dashboard_model.h"
#include "api/json_body.h"
#include "api/respond.h"
#include "meta/meta_store.h"

namespace otelstack::api {

namespace {

using meta::DocumentKind;

std::string TileSourcePath(size_t index) { return "tiles[" + std::to_string(index) + "].config.source"; }

// Checks that every tile source is the id of a source the caller can see,
// and writes it back in canonical form.
Status ResolveSourceIds(const ApiServices& s, const Caller& caller, Dashboard* d) {
  StatusOr<std::vector<Source>> sources = VisibleSources(s, caller);
  if (!sources.ok()) return sources.status();
  for (size_t i = 0; i < d->tiles.size(); ++i) {
    std::string& source = d->tiles[i].config.source;
    if (source.empty()) continue;
    StatusOr<int64_t> id = ParseId(source, TileSourcePath(i));
    if (!id.ok()) return id.status();
    bool found = false;
    for (const Source& candidate : *sources) found = found || candidate.id == *id;
    if (!found) return Status::InvalidArgument(TileSourcePath(i) + ": no source " + source + " in this team");
    source = std::to_string(*id);
  }
  return Status::OK();
}

// Export: ids to names; sources that no longer exist (or that the caller
// cannot see) are left out.
Status SourceIdsToNames(const ApiServices& s, const Caller& caller, Dashboard* d) {
  StatusOr<std::vector<Source>> sources = VisibleSources(s, caller);
  if (!sources.ok()) return sources.status();
  std::map<std::string, std::string> names;
  for (const Source& source : *sources) names[std::to_string(source.id)] = source.name;
  for (Tile& tile : d->tiles) {
    auto it = names.find(tile.config.source);
    tile.config.source = it == names.end() ? "" : it->second;
  }
  return Status::OK();
}

// Import: names to this team's ids; 400 naming the first unknown one.
Status SourceNamesToIds(const ApiServices& s, const Caller& caller, Dashboard* d) {
  StatusOr<std::vector<Source>> sources = VisibleSources(s, caller);
  if (!sources.ok()) return sources.status();
  std::map<std::string, int64_t> ids;
  for (const Source& source : *sources) ids.emplace(source.name, source.id);
  for (size_t i = 0; i < d->tiles.size(); ++i) {
    std::string& source = d->tiles[i].config.source;
    if (source.empty()) continue;
    auto it = ids.find(source);
    if (it == ids.end()) {
      return Status::InvalidArgument(TileSourcePath(i) + ": no source named \"" + source + "\" in this team");
    }
    source = std::to_string(it->second);
  }
  return Status::OK();
}

StatusOr<Dashboard> FromDocument(const meta::Document& doc) {
  rapidjson::Document json;
  Status parsed = ParseJsonObject(doc.json, &json);
  StatusOr<Dashboard> d = parsed.ok() ? ParseDashboard(json) : StatusOr<Dashboard>(parsed);
  if (!d.ok()) return Status::Corruption("dashboard " + std::to_string(doc.id) + ": " + d.status().message());
  d->id = doc.id;
  return d;
}

StatusOr<Dashboard> Load(const ApiServices& s, const Caller& caller, int64_t id) {
  StatusOr<meta::Document> doc = s.meta->documents().Get(caller.user.team_id, DocumentKind::kDashboard, id);
  if (!doc.ok()) {
    if (doc.status().code() == Status::Code::kNotFound) {
      return Status::NotFound("dashboard " + std::to_string(id) + " not found");
    }
    return doc.status();
  }
  return FromDocument(*doc);
}

http::Response Insert(const ApiServices& s, const Caller& caller, Dashboard d) {
  meta::Document doc;
  doc.team_id = caller.user.team_id;
  doc.kind = DocumentKind::kDashboard;
  doc.name = d.name;
  d.id = 0;
  doc.json = DashboardJson(d);
  doc.created_by = caller.user.id;
  doc.created_at = doc.updated_at = s.clock();
  StatusOr<meta::Document> inserted = s.meta->documents().Insert(doc);
  if (!inserted.ok()) return ErrorResponse(inserted.status());
  d.id = inserted->id;
  return Ok(DashboardJson(d));
}

http::Response List(const ApiServices& s, Call& call) {
  StatusOr<std::vector<meta::Document>> docs =
      s.meta->documents().List(call.caller->user.team_id, DocumentKind::kDashboard);
  if (!docs.ok()) return ErrorResponse(docs.status());
  std::vector<Dashboard> items;
  for (const meta::Document& doc : *docs) {
    StatusOr<Dashboard> d = FromDocument(doc);
    if (d.ok()) items.push_back(std::move(*d));
  }
  return Ok(RenderList(items, [](JsonWriter& w, const Dashboard& d) { WriteDashboard(w, d); }));
}

http::Response Get(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "dashboard id");
  if (!id.ok()) return ErrorResponse(id.status());
  StatusOr<Dashboard> d = Load(s, *call.caller, *id);
  if (!d.ok()) return ErrorResponse(d.status());
  return Ok(DashboardJson(*d));
}

http::Response Create(const ApiServices& s, Call& call) {
  rapidjson::Document body;
  if (auto error = ReadConfigBody(call.request, &body)) return *error;
  StatusOr<Dashboard> d = ParseDashboard(body);
  if (!d.ok()) return ErrorResponse(d.status());
  Status resolved = ResolveSourceIds(s, *call.caller, &*d);
  if (!resolved.ok()) return ErrorResponse(resolved);
  return Insert(s, *call.caller, std::move(*d));
}

http::Response Update(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "dashboard id");
  if (!id.ok()) return ErrorResponse(id.status());
  rapidjson::Document body;
  if (auto error = ReadConfigBody(call.request, &body)) return *error;
  StatusOr<meta::Document> doc = s.meta->documents().Get(call.caller->user.team_id, DocumentKind::kDashboard, *id);
  if (!doc.ok()) {
    if (doc.status().code() == Status::Code::kNotFound) {
      return ErrorResponse(Status::NotFound("dashboard " + std::to_string(*id) + " not found"));
    }
    return ErrorResponse(doc.status());
  }
  StatusOr<Dashboard> d = ParseDashboard(body);
  if (!d.ok()) return ErrorResponse(d.status());
  Status resolved = ResolveSourceIds(s, *call.caller, &*d);
  if (!resolved.ok()) return ErrorResponse(resolved);
  d->id = 0;
  doc->name = d->name;
  doc->json = DashboardJson(*d);
  doc->updated_at = s.clock();
  Status updated = s.meta->documents().Update(*doc);
  if (!updated.ok()) return ErrorResponse(updated);
  d->id = *id;
  return Ok(DashboardJson(*d));
}

http::Response Delete(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "dashboard id");
  if (!id.ok()) return ErrorResponse(id.status());
  Status deleted = s.meta->documents().Delete(call.caller->user.team_id, DocumentKind::kDashboard, *id);
  if (!deleted.ok()) {
    if (deleted.code() == Status::Code::kNotFound) {
      return ErrorResponse(Status::NotFound("dashboard " + std::to_string(*id) + " not found"));
    }
    return ErrorResponse(deleted);
  }
  return DeletedResponse();
}

http::Response Export(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "dashboard id");
  if (!id.ok()) return ErrorResponse(id.status());
  StatusOr<Dashboard> d = Load(s, *call.caller, *id);
  if (!d.ok()) return ErrorResponse(d.status());
  Status named = SourceIdsToNames(s, *call.caller, &*d);
  if (!named.ok()) return ErrorResponse(named);
  return Ok(DashboardExportJson(*d));
}

http::Response Import(const ApiServices& s, Call& call) {
  rapidjson::Document body;
  if (auto error = ReadConfigBody(call.request, &body)) return *error;
  StatusOr<Dashboard> d = ParseDashboardExport(body);
  if (!d.ok()) return ErrorResponse(d.status());
  Status mapped = SourceNamesToIds(s, *call.caller, &*d);
  if (!mapped.ok()) return ErrorResponse(mapped);
  return Insert(s, *call.caller, std::move(*d));
}

Route DashboardRoute(const ApiServices& services, http::Method method, std::string pattern, meta::Role role,
                     std::string summary, ConfigHandler handler) {
  return MakeConfigRoute(services, method, std::move(pattern), Access::kSessionOrKey, role, std::move(summary),
                         handler);
}

}  // namespace

void AddDashboardRoutes(const ApiServices& services, Routes* routes) {
  using http::Method;
  using meta::Role;
  const char* list = "/api/v2/dashboards";
  const char* one = "/api/v2/dashboards/:id";
  routes->push_back(DashboardRoute(services, Method::kGet, list, Role::kViewer, "List dashboards", List));
  routes->push_back(DashboardRoute(services, Method::kGet, one, Role::kViewer, "Get a dashboard", Get));
  routes->push_back(DashboardRoute(services, Method::kPost, list, Role::kEditor, "Create a dashboard", Create));
  routes->push_back(DashboardRoute(services, Method::kPut, one, Role::kEditor, "Update a dashboard", Update));
  routes->push_back(DashboardRoute(services, Method::kDelete, one, Role::kEditor, "Delete a dashboard", Delete));
  routes->push_back(DashboardRoute(services, Method::kGet, "/api/v2/dashboards/:id/export", Role::kViewer,
                                   "Export a dashboard as a portable JSON document", Export));
  routes->push_back(DashboardRoute(services, Method::kPost, "/api/v2/dashboards/import", Role::kEditor,
                                   "Import an exported dashboard", Import));
}

}  // namespace otelstack::api
