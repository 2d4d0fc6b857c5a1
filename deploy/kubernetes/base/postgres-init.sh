#!/bin/bash
# The database's first start (the postgres image runs /docker-entrypoint-initdb.d/* once, on an empty data directory),
# for Compose and Kubernetes alike: CnnGrid's two roles as the local stack makes them (CnnGrid.Stack's
# LocalPostgres.PrepareRolesAsync). cnngrid_owner owns the database and its schema: the orchestrator migrates it and
# grants cnngrid_worker the Orleans membership tables (Database__WorkerRole), which is all the workers may touch. The
# passwords are the last field of the pgpass files the hosts read (deploy/make-secrets.sh).
set -euo pipefail
password() {
  local value
  value=$(cut -d : -f 5- "$1")
  [ -n "$value" ] || { echo "postgres-init: $1 holds no password" >&2; return 1; }
  echo "$value"
}
owner_password=$(password /run/secrets/db-owner.pgpass)
worker_password=$(password /run/secrets/db-worker.pgpass)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$owner_password" -v worker_password="$worker_password" <<'SQL'
CREATE ROLE cnngrid_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_password';
CREATE ROLE cnngrid_worker LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'worker_password';
CREATE DATABASE cnngrid OWNER cnngrid_owner;
REVOKE ALL ON DATABASE cnngrid FROM PUBLIC;
GRANT CONNECT ON DATABASE cnngrid TO cnngrid_worker;
\connect cnngrid
ALTER SCHEMA public OWNER TO cnngrid_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO cnngrid_worker;
SQL
# From then on: over the network only the two roles, to their database; the superuser only on the container's socket.
cat > "$PGDATA/pg_hba.conf" <<'HBA'
local all all scram-sha-256
host cnngrid cnngrid_owner all scram-sha-256
host cnngrid cnngrid_worker all scram-sha-256
HBA
