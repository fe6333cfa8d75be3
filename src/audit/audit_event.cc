#include "audit/audit_event.h"

namespace otelstack::audit {

std::string_view EventName(SessionEvent::Kind kind) {
  using K = SessionEvent::Kind;
  switch (kind) {
    case K::kLoginSucceeded:
      return "login.succeeded";
    case K::kLoginFailed:
      return "login.failed";
    case K::kLogout:
      return "logout";
    case K::kSessionExpired:
      return "session.expired";
    case K::kSessionRevoked:
      return "session.revoked";
    case K::kRegistered:
      return "user.registered";
    case K::kPasswordChanged:
      return "password.changed";
    case K::kPersonalKeyUsed:
      return "personal_key.used";
    case K::kPersonalKeyCreated:
      return "personal_key.created";
    case K::kPersonalKeyRevoked:
      return "personal_key.revoked";
    case K::kIngestionKeyUsed:
      return "ingestion_key.used";
    case K::kIngestionKeyCreated:
      return "ingestion_key.created";
    case K::kIngestionKeyRevoked:
      return "ingestion_key.revoked";
    case K::kIngestionKeyRevealed:
      return "ingestion_key.revealed";
    case K::kAccessDenied:
      return "access.denied";
  }
  return "session.unknown";
}

std::string_view EventName(QueryEvent::Kind kind) {
  using K = QueryEvent::Kind;
  switch (kind) {
    case K::kSearch:
      return "query.search";
    case K::kChart:
      return "query.chart";
    case K::kFacets:
      return "query.facets";
    case K::kTrace:
      return "query.trace";
  }
  return "query.unknown";
}

std::string_view KindName(QueryEvent::Kind kind) {
  using K = QueryEvent::Kind;
  switch (kind) {
    case K::kSearch:
      return "search";
    case K::kChart:
      return "chart";
    case K::kFacets:
      return "facets";
    case K::kTrace:
      return "trace";
  }
  return "unknown";
}

std::string_view OutcomeName(QueryEvent::Outcome outcome) {
  using O = QueryEvent::Outcome;
  switch (outcome) {
    case O::kOk:
      return "ok";
    case O::kPartial:
      return "partial";
    case O::kError:
      return "error";
    case O::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

}  // namespace otelstack::audit
