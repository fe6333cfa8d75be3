#!/usr/bin/env bash
# Creates ./secrets/ for docker-compose.yml: random secrets and, for a first
# try, a self-signed TLS certificate for localhost (replace tls.crt/tls.key
# with your real certificate). Never overwrites an existing file. Run as root
# (or with sudo) so that the files can be given to UID 10001, the user
# otelstack runs as in the image; mode 0400.
set -euo pipefail
cd "$(dirname "$0")"
umask 077
mkdir -p secrets

create_once() {  # create_once NAME COMMAND...: write COMMAND's output to secrets/NAME once
  local name=$1; shift
  if [[ -e "secrets/$name" ]]; then echo "secrets/$name exists, kept"; return; fi
  "$@" > "secrets/$name"
  echo "secrets/$name created"
}
create_once session_secret openssl rand -hex 32
create_once encryption_key openssl rand -hex 32   # 64 hex characters
create_once ingestion_key openssl rand -hex 32     # send as the OTLP 'authorization' header
create_once clickhouse_admin_password openssl rand -hex 24
create_once clickhouse_ingest_password openssl rand -hex 24
create_once clickhouse_query_password openssl rand -hex 24
if [[ ! -e secrets/tls.crt ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout secrets/tls.key -out secrets/tls.crt 2>/dev/null
  echo "secrets/tls.crt + tls.key created (self-signed, localhost, 365 days)"
fi

if [[ $(id -u) -eq 0 ]]; then
  chown 10001:10001 secrets/*
  chmod 0400 secrets/*
else
  echo "Not root: run  sudo chown 10001:10001 $(pwd)/secrets/* && sudo chmod 0400 $(pwd)/secrets/*" >&2
fi
