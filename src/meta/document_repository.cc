#include "meta/document_repository.h"

#include <string>

namespace otelstack::meta {

std::string_view DocumentKindName(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kConnection:
      return "connection";
    case DocumentKind::kSource:
      return "source";
    case DocumentKind::kSavedSearch:
      return "saved search";
    case DocumentKind::kDashboard:
      return "dashboard";
  }
  return "document";
}

Status DocumentNotFound(DocumentKind kind, int64_t id) {
  return Status::NotFound("no " + std::string(DocumentKindName(kind)) + " with id " + std::to_string(id) +
                          " in this team");
}

}  // namespace otelstack::meta
