// Saved searches routes (see config_routes.h). A saved search is HyperDX's:
// {id, name, sourceId, where, whereLanguage, select, orderBy, tags[]}.
#include <utility>

#include "api/config_common.h"
#include "api/config_routes.h"
#include "api/json_body.h"
#include "api/respond.h"
#include "meta/meta_store.h"

namespace otelstack::api {

namespace {

using meta::DocumentKind;

struct SavedSearch {
  int64_t id = 0;  // 0: left out of the rendering (stored json)
  std::string name;
  int64_t source_id = 0;
  std::string where;
  std::string where_language;
  std::string select;
  std::string order_by;
  std::vector<std::string> tags;
};

StatusOr<SavedSearch> ParseSavedSearch(const rapidjson::Value& body) {
  SavedSearch s;
  StatusOr<std::string> name = RequiredName(body, "name");
  if (!name.ok()) return name.status();
  s.name = std::move(*name);
  StatusOr<std::string> source = RequiredString(body, "sourceId");
  if (!source.ok()) return source.status();
  StatusOr<int64_t> source_id = ParseId(*source, "sourceId");
  if (!source_id.ok()) return source_id.status();
  s.source_id = *source_id;
  StatusOr<std::string> where = OptionalText(body, "where");
  if (!where.ok()) return where.status();
  s.where = std::move(*where);
  StatusOr<std::string> language = OptionalQueryLanguage(body, "whereLanguage");
  if (!language.ok()) return language.status();
  s.where_language = std::move(*language);
  StatusOr<std::string> select = OptionalText(body, "select");
  if (!select.ok()) return select.status();
  s.select = std::move(*select);
  StatusOr<std::string> order_by = OptionalText(body, "orderBy");
  if (!order_by.ok()) return order_by.status();
  s.order_by = std::move(*order_by);
  StatusOr<std::vector<std::string>> tags = OptionalTags(body, "tags");
  if (!tags.ok()) return tags.status();
  s.tags = std::move(*tags);
  return s;
}

std::string SavedSearchJson(const SavedSearch& s) {
  return RenderJson([&](JsonWriter& w) {
    w.StartObject();
    if (s.id != 0) WriteStringField(w, "id", std::to_string(s.id));
    WriteStringField(w, "name", s.name);
    WriteStringField(w, "sourceId", std::to_string(s.source_id));
    WriteStringField(w, "where", s.where);
    WriteStringField(w, "whereLanguage", s.where_language);
    WriteStringField(w, "select", s.select);
    WriteStringField(w, "orderBy", s.order_by);
    WriteTags(w, s.tags);
    w.EndObject();
  });
}

StatusOr<SavedSearch> FromDocument(const meta::Document& doc) {
  rapidjson::Document json;
  Status parsed = ParseJsonObject(doc.json, &json);
  StatusOr<SavedSearch> s = parsed.ok() ? ParseSavedSearch(json) : StatusOr<SavedSearch>(parsed);
  if (!s.ok()) return Status::Corruption("saved search " + std::to_string(doc.id) + ": " + s.status().message());
  s->id = doc.id;
  return s;
}

// The body as a saved search whose source the caller can see.
StatusOr<SavedSearch> ValidBody(const ApiServices& services, const Caller& caller, const rapidjson::Value& body) {
  StatusOr<SavedSearch> s = ParseSavedSearch(body);
  if (!s.ok()) return s.status();
  StatusOr<Source> source = VisibleSource(services, caller, s->source_id);
  if (!source.ok()) {
    if (source.status().code() != Status::Code::kNotFound) return source.status();
    return Status::InvalidArgument("sourceId: no source " + std::to_string(s->source_id) + " in this team");
  }
  return s;
}

StatusOr<meta::Document> GetDoc(const ApiServices& services, const Caller& caller, int64_t id) {
  StatusOr<meta::Document> doc = services.meta->documents().Get(caller.user.team_id, DocumentKind::kSavedSearch, id);
  if (!doc.ok() && doc.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("saved search " + std::to_string(id) + " not found");
  }
  return doc;
}

http::Response List(const ApiServices& s, Call& call) {
  StatusOr<std::vector<meta::Document>> docs =
      s.meta->documents().List(call.caller->user.team_id, DocumentKind::kSavedSearch);
  if (!docs.ok()) return ErrorResponse(docs.status());
  std::vector<SavedSearch> items;
  for (const meta::Document& doc : *docs) {
    StatusOr<SavedSearch> search = FromDocument(doc);
    if (search.ok()) items.push_back(std::move(*search));
  }
  return Ok(RenderList(items, [](JsonWriter& w, const SavedSearch& search) {
    std::string json = SavedSearchJson(search);
    w.RawValue(json.c_str(), json.size(), rapidjson::kObjectType);
  }));
}

http::Response Get(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "saved search id");
  if (!id.ok()) return ErrorResponse(id.status());
  StatusOr<meta::Document> doc = GetDoc(s, *call.caller, *id);
  if (!doc.ok()) return ErrorResponse(doc.status());
  StatusOr<SavedSearch> search = FromDocument(*doc);
  if (!search.ok()) return ErrorResponse(search.status());
  return Ok(SavedSearchJson(*search));
}

http::Response Create(const ApiServices& s, Call& call) {
  rapidjson::Document body;
  if (auto error = ReadConfigBody(call.request, &body)) return *error;
  StatusOr<SavedSearch> search = ValidBody(s, *call.caller, body);
  if (!search.ok()) return ErrorResponse(search.status());
  meta::Document doc;
  doc.team_id = call.caller->user.team_id;
  doc.kind = DocumentKind::kSavedSearch;
  doc.name = search->name;
  doc.json = SavedSearchJson(*search);
  doc.created_by = call.caller->user.id;
  doc.created_at = doc.updated_at = s.clock();
  StatusOr<meta::Document> inserted = s.meta->documents().Insert(doc);
  if (!inserted.ok()) return ErrorResponse(inserted.status());
  search->id = inserted->id;
  return Ok(SavedSearchJson(*search));
}

http::Response Update(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "saved search id");
  if (!id.ok()) return ErrorResponse(id.status());
  rapidjson::Document body;
  if (auto error = ReadConfigBody(call.request, &body)) return *error;
  StatusOr<meta::Document> doc = GetDoc(s, *call.caller, *id);
  if (!doc.ok()) return ErrorResponse(doc.status());
  StatusOr<SavedSearch> search = ValidBody(s, *call.caller, body);
  if (!search.ok()) return ErrorResponse(search.status());
  doc->name = search->name;
  doc->json = SavedSearchJson(*search);
  doc->updated_at = s.clock();
  Status updated = s.meta->documents().Update(*doc);
  if (!updated.ok()) return ErrorResponse(updated);
  search->id = *id;
  return Ok(SavedSearchJson(*search));
}

http::Response Delete(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "saved search id");
  if (!id.ok()) return ErrorResponse(id.status());
  Status deleted = s.meta->documents().Delete(call.caller->user.team_id, DocumentKind::kSavedSearch, *id);
  if (!deleted.ok()) {
    if (deleted.code() == Status::Code::kNotFound) {
      return ErrorResponse(Status::NotFound("saved search " + std::to_string(*id) + " not found"));
    }
    return ErrorResponse(deleted);
  }
  return DeletedResponse();
}

Route SearchRoute(const ApiServices& services, http::Method method, std::string pattern, meta::Role role,
                  std::string summary, ConfigHandler handler) {
  return MakeConfigRoute(services, method, std::move(pattern), Access::kSessionOrKey, role, std::move(summary),
                         handler);
}

}  // namespace

void AddSavedSearchRoutes(const ApiServices& services, Routes* routes) {
  using http::Method;
  using meta::Role;
  const char* list = "/api/v2/saved-searches";
  const char* one = "/api/v2/saved-searches/:id";
  routes->push_back(SearchRoute(services, Method::kGet, list, Role::kViewer, "List saved searches", List));
  routes->push_back(SearchRoute(services, Method::kGet, one, Role::kViewer, "Get a saved search", Get));
  routes->push_back(SearchRoute(services, Method::kPost, list, Role::kEditor, "Create a saved search", Create));
  routes->push_back(SearchRoute(services, Method::kPut, one, Role::kEditor, "Update a saved search", Update));
  routes->push_back(SearchRoute(services, Method::kDelete, one, Role::kEditor, "Delete a saved search", Delete));
}

}  // namespace otelstack::api
