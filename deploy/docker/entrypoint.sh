#!/bin/sh
# entrypoint.sh HOST.dll: runs a silo host (orchestrator, FoldWorker). A silo advertises Cluster:Address to the other
# silos and the hosts take it as an IP address only, which a container learns only once it runs: unless the platform
# sets it, it is the address the container's hostname resolves to (Docker writes it to /etc/hosts). Without it the
# silo would advertise loopback, which no other container reaches. In Kubernetes (Cluster__Kubernetes=true) the silo
# advertises its POD_IP instead.
set -eu
if [ -z "${Cluster__Address:-}" ] && [ "${Cluster__Kubernetes:-}" != true ]; then
  Cluster__Address=$(getent ahostsv4 "$(cat /proc/sys/kernel/hostname)" | head -n 1 | cut -d ' ' -f 1)
  export Cluster__Address
fi
exec dotnet "$@"
