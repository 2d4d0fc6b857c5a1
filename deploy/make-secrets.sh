#!/usr/bin/env bash
# make-secrets.sh [DIR]: the credentials a Compose or Kubernetes deployment of CnnGrid mounts as secret files, written
# to DIR (default deploy/secrets/, mode 0700). A file that exists is kept, so running it again changes nothing; delete
# a file to make it anew (delete both cluster-authority.* to replace the cluster's authority and its certificates).
#
#   postgres-password      PostgreSQL's superuser: only the database container's first start uses it
#   db-owner.pgpass        cnngrid_owner, owner of the schema: the orchestrator (Npgsql's Passfile format)
#   db-worker.pgpass       cnngrid_worker, the Orleans membership tables only: the workers
#   api-token              the HTTP API's bearer token: the orchestrator, the dashboard, whoever submits sweeps
#   cluster-authority.crt  the cluster's certificate authority, which every silo checks the others against
#   cluster-authority.key  its key: issues silo certificates; stays here, mounted nowhere
#   cluster-silo.crt/.key  the certificate the silos (orchestrator and workers) present to each other
#   grafana-admin-password Grafana's admin in deploy/compose.yaml
#
# Files are 0644 inside the 0700 folder: Compose mounts a secret file as it is on the host, and the containers read
# theirs as other users (1654, postgres) than the one running this.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
dir="${1:-$here/secrets}"
mkdir -p "$dir"
chmod 0700 "$dir"
cd "$dir"
umask 0022

# Both database roles' names are the local stack's (CnnGrid.Stack's LocalPostgres); the orchestrator grants the
# worker role its tables (Database__WorkerRole).
[ -f postgres-password ] || openssl rand -hex 32 > postgres-password
[ -f db-owner.pgpass ] || echo "*:*:*:cnngrid_owner:$(openssl rand -hex 32)" > db-owner.pgpass
[ -f db-worker.pgpass ] || echo "*:*:*:cnngrid_worker:$(openssl rand -hex 32)" > db-worker.pgpass
[ -f api-token ] || openssl rand -hex 32 > api-token
[ -f grafana-admin-password ] || openssl rand -hex 16 > grafana-admin-password

# The same shape as the local stack's authority (CnnGrid.Stack's ClusterAuthority): ECDSA P-256, a CA that issues
# only end certificates, silo certificates for server and client authentication.
if [ ! -f cluster-authority.crt ] || [ ! -f cluster-authority.key ]; then
  (umask 0077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out cluster-authority.key)
  openssl req -new -x509 -key cluster-authority.key -subj "/CN=cnngrid cluster authority" -days 3650 -out cluster-authority.crt \
    -config <(printf '[req]\ndistinguished_name=dn\nx509_extensions=ca\n[dn]\n[ca]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n')
  rm -f cluster-silo.crt cluster-silo.key
fi
if [ ! -f cluster-silo.crt ] || [ ! -f cluster-silo.key ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out cluster-silo.key
  openssl req -new -key cluster-silo.key -subj "/CN=cnngrid silo" -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n') |
    openssl x509 -req -CA cluster-authority.crt -CAkey cluster-authority.key -set_serial "0x$(openssl rand -hex 16)" -days 3650 \
      -out cluster-silo.crt \
      -extfile <(printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n')
  chmod 0644 cluster-silo.key
fi
echo "make-secrets: $dir holds $(ls | tr '\n' ' ')"
