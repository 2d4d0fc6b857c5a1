# syntax=docker/dockerfile:1
# The Blazor dashboard. Build from the repository root:
#   docker build -f deploy/docker/dashboard.Dockerfile -t cnngrid/dashboard:0.1.0 .
# Published, not built: the published app carries its static assets (blazor.web.js, app.css) in wwwroot, where a
# build's output points at files of the build machine.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish Dashboard/CnnGrid.Dashboard -c Release -nologo -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble
LABEL org.opencontainers.image.title="cnngrid/dashboard"
WORKDIR /app
COPY --from=build /app .
COPY deploy/docker/healthcheck.sh /usr/local/bin/
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER 1654
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["healthcheck.sh", "8080", "/healthz"]
ENTRYPOINT ["dotnet", "CnnGrid.Dashboard.dll"]
