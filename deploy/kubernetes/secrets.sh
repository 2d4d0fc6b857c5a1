#!/usr/bin/env bash
# secrets.sh [DIR]: the Secrets deploy/kubernetes mounts, made from the files deploy/make-secrets.sh wrote to DIR
# (default deploy/secrets/), printed as YAML (`kubectl create --dry-run=client` talks to no cluster):
#   deploy/make-secrets.sh && deploy/kubernetes/secrets.sh | kubectl apply -f -
# One Secret per credential, so each pod mounts only the ones its host reads; a key is the file's name, which is
# where the pod finds it (/run/secrets/NAME).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
dir="${1:-$here/../secrets}"

secret() {
  local name=$1 file
  shift
  local sources=()
  for file in "$@"; do
    sources+=("--from-file=$dir/$file")
  done
  kubectl create secret generic "$name" --namespace cnngrid --dry-run=client --output yaml "${sources[@]}"
  echo ---
}

secret cnngrid-postgres-superuser postgres-password
secret cnngrid-db-owner db-owner.pgpass
secret cnngrid-db-worker db-worker.pgpass
secret cnngrid-api-token api-token
secret cnngrid-cluster-tls cluster-authority.crt cluster-silo.crt cluster-silo.key
