// Sources routes (see config_routes.h).
#include <utility>

#include "api/config_common.h"
#include "api/config_routes.h"
#include "api/embedded_tables.h"
#include "api/respond.h"
#include "api/source_mapping.h"
#include "meta/meta_store.h"

namespace otelstack::api {

namespace {

using meta::DocumentKind;

// A link (logSourceId/traceSourceId) must name a source the caller can see,
// of the right kind, other than the source itself.
Status CheckLink(const ApiServices& s, const Caller& caller, const char* field, std::optional<int64_t> target,
                 SourceKind expected, int64_t self_id) {
  if (!target) return Status::OK();
  if (*target == self_id) return Status::InvalidArgument(std::string(field) + ": a source cannot link to itself");
  StatusOr<Source> linked = VisibleSource(s, caller, *target);
  if (!linked.ok()) {
    if (linked.status().code() != Status::Code::kNotFound) return linked.status();
    return Status::InvalidArgument(std::string(field) + ": no source " + std::to_string(*target) + " in this team");
  }
  if (linked->kind != expected) {
    return Status::InvalidArgument(std::string(field) + ": source " + linked->name + " is a " +
                                   std::string(SourceKindName(linked->kind)) + " source, not a " +
                                   std::string(SourceKindName(expected)) + " source");
  }
  return Status::OK();
}

// Everything about `source` that depends on the team's other documents.
// `self_id` is 0 for a new source.
Status ValidateSource(const ApiServices& s, const Caller& caller, const Source& source, int64_t self_id) {
  OTELSTACK_RETURN_IF_ERROR(CheckSourceExpressions(source));
  const int64_t team_id = caller.user.team_id;
  StatusOr<std::map<int64_t, Connection>> connections = TeamConnections(s, team_id);
  if (!connections.ok()) return connections.status();
  auto connection = connections->find(source.connection_id);
  if (connection == connections->end()) {
    return Status::InvalidArgument("connection: no connection " + std::to_string(source.connection_id) +
                                   " in this team");
  }
  if (connection->second.embedded) {
    StatusOr<SourceTarget> target = ResolveEmbeddedTable(source.kind, source.table);
    if (!target.ok()) return target.status();
    if (target->backend == SourceTarget::Backend::kAudit && caller.user.role != meta::Role::kAdmin) {
      return Status::PermissionDenied("from.tableName: only admins may use the audit log");
    }
  }
  OTELSTACK_RETURN_IF_ERROR(CheckLink(s, caller, "traceSourceId", source.trace_source_id, SourceKind::kTrace, self_id));
  OTELSTACK_RETURN_IF_ERROR(CheckLink(s, caller, "logSourceId", source.log_source_id, SourceKind::kLog, self_id));

  // Names are unique among all the team's sources, seen or not: exports
  // refer to sources by name.
  StatusOr<std::vector<meta::Document>> docs = s.meta->documents().List(team_id, DocumentKind::kSource);
  if (!docs.ok()) return docs.status();
  for (const meta::Document& doc : *docs) {
    if (doc.id != self_id && doc.name == source.name) {
      return Status::AlreadyExists("name: a source named \"" + source.name + "\" already exists");
    }
  }
  return Status::OK();
}

http::Response SourceResponse(const Source& source) { return Ok(SourceJson(source)); }

StatusOr<Source> ParseBody(const http::Request& request) {
  if (request.body.size() > kMaxConfigBodyBytes) {
    return Status::ResourceExhausted("request body: larger than 1 MiB");
  }
  return ParseSource(request.body);
}

http::Response BodyError(const Status& status) {
  if (status.code() == Status::Code::kResourceExhausted) return http::Response::Error(413, status.message());
  return ErrorResponse(status);
}

http::Response List(const ApiServices& s, Call& call) {
  StatusOr<std::vector<Source>> sources = VisibleSources(s, *call.caller);
  if (!sources.ok()) return ErrorResponse(sources.status());
  return Ok(RenderList(*sources, [](JsonWriter& w, const Source& source) {
    std::string json = SourceJson(source);
    w.RawValue(json.c_str(), json.size(), rapidjson::kObjectType);
  }));
}

http::Response Get(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "source id");
  if (!id.ok()) return ErrorResponse(id.status());
  StatusOr<Source> source = VisibleSource(s, *call.caller, *id);
  if (!source.ok()) return ErrorResponse(source.status());
  return SourceResponse(*source);
}

http::Response Create(const ApiServices& s, Call& call) {
  StatusOr<Source> source = ParseBody(call.request);
  if (!source.ok()) return BodyError(source.status());
  Status valid = ValidateSource(s, *call.caller, *source, 0);
  if (!valid.ok()) return ErrorResponse(valid);
  meta::Document doc;
  doc.team_id = call.caller->user.team_id;
  doc.kind = DocumentKind::kSource;
  doc.name = source->name;
  source->id = 0;
  doc.json = SourceJson(*source);
  doc.created_by = call.caller->user.id;
  doc.created_at = doc.updated_at = s.clock();
  StatusOr<meta::Document> inserted = s.meta->documents().Insert(doc);
  if (!inserted.ok()) return ErrorResponse(inserted.status());
  source->id = inserted->id;
  return SourceResponse(*source);
}

http::Response Update(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "source id");
  if (!id.ok()) return ErrorResponse(id.status());
  StatusOr<Source> current = VisibleSource(s, *call.caller, *id);
  if (!current.ok()) return ErrorResponse(current.status());
  StatusOr<Source> source = ParseBody(call.request);
  if (!source.ok()) return BodyError(source.status());
  Status valid = ValidateSource(s, *call.caller, *source, *id);
  if (!valid.ok()) return ErrorResponse(valid);
  StatusOr<meta::Document> doc = s.meta->documents().Get(call.caller->user.team_id, DocumentKind::kSource, *id);
  if (!doc.ok()) return ErrorResponse(doc.status());
  source->id = 0;
  doc->name = source->name;
  doc->json = SourceJson(*source);
  doc->updated_at = s.clock();
  Status updated = s.meta->documents().Update(*doc);
  if (!updated.ok()) return ErrorResponse(updated);
  source->id = *id;
  return SourceResponse(*source);
}

http::Response Delete(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "source id");
  if (!id.ok()) return ErrorResponse(id.status());
  StatusOr<Source> current = VisibleSource(s, *call.caller, *id);
  if (!current.ok()) return ErrorResponse(current.status());
  Status deleted = s.meta->documents().Delete(call.caller->user.team_id, DocumentKind::kSource, *id);
  if (!deleted.ok()) return ErrorResponse(deleted);
  return DeletedResponse();
}

Route SourceRoute(const ApiServices& services, http::Method method, std::string pattern, meta::Role role,
                  std::string summary, ConfigHandler handler) {
  return MakeConfigRoute(services, method, std::move(pattern), Access::kSessionOrKey, role, std::move(summary),
                         handler);
}

}  // namespace

void AddSourceRoutes(const ApiServices& services, Routes* routes) {
  using http::Method;
  using meta::Role;
  routes->push_back(SourceRoute(services, Method::kGet, "/api/v2/sources", Role::kViewer, "List sources", List));
  routes->push_back(SourceRoute(services, Method::kGet, "/api/v2/sources/:id", Role::kViewer, "Get a source", Get));
  routes->push_back(SourceRoute(services, Method::kPost, "/api/v2/sources", Role::kEditor, "Create a source", Create));
  routes->push_back(
      SourceRoute(services, Method::kPut, "/api/v2/sources/:id", Role::kEditor, "Update a source", Update));
  routes->push_back(
      SourceRoute(services, Method::kDelete, "/api/v2/sources/:id", Role::kEditor, "Delete a source", Delete));
}

}  // namespace otelstack::api
