# syntax=docker/dockerfile:1
# The orchestrator silo and HTTP API. Build from the repository root:
#   docker build -f deploy/docker/orchestrator.Dockerfile -t cnngrid/orchestrator:0.1.0 .
# Configuration comes from the environment (Section__Key) and mounted secret files only; see deploy/README.md.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish Orchestrator/CnnGrid.Orchestrator -c Release -nologo -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble
LABEL org.opencontainers.image.title="cnngrid/orchestrator"
WORKDIR /app
COPY --from=build /app .
COPY deploy/docker/entrypoint.sh deploy/docker/healthcheck.sh /usr/local/bin/
ENV ASPNETCORE_HTTP_PORTS=8080
# HTTP (API, /healthz, /metrics) and the silo port (Orleans' default; Cluster__SiloPort changes it).
EXPOSE 8080 11111
# The .NET images' unprivileged "app" user.
USER 1654
# Start-up migrates the schema and waits up to 2 min for PostgreSQL.
HEALTHCHECK --interval=10s --timeout=5s --start-period=150s --retries=3 CMD ["healthcheck.sh", "8080", "/healthz"]
ENTRYPOINT ["entrypoint.sh", "CnnGrid.Orchestrator.dll"]
