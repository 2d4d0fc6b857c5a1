# syntax=docker/dockerfile:1
# A FoldWorker silo, on the CPU or on CUDA GPUs. Build from the repository root:
#   docker build -f deploy/docker/worker.Dockerfile -t cnngrid/worker:0.1.0-cpu .
#   docker build -f deploy/docker/worker.Dockerfile --build-arg TORCH_BACKEND=cuda -t cnngrid/worker:0.1.0-cuda .
# TORCH_BACKEND is the build's TorchBackend property (Directory.Build.props: TorchSharp-cpu or TorchSharp-cuda-linux)
# and picks the runtime base below.
ARG TORCH_BACKEND=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG TORCH_BACKEND
WORKDIR /src
COPY . .
# Built, not published: with the GLIBCXX patch on, `dotnet publish` fails (NETSDK1152, the package's and the patched
# libLibTorchSharp.so both land in the publish list). The patch is forced on because the runtime base may carry an
# older libstdc++ than this SDK image (README, Troubleshooting); where the version exists the weak need changes nothing.
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet build FoldWorker/CnnGrid.FoldWorker -c Release -nologo \
      -p:TorchBackend=${TORCH_BACKEND} -p:LibTorchSharpWeakGlibcxx=true \
 && cp -r artifacts/bin/CnnGrid.FoldWorker/release_linux-x64 /app

# Fashion-MNIST, the default dataset, from Debian's package, where the worker looks for it (DatasetCatalog).
FROM debian:bookworm-slim AS dataset
RUN apt-get update && apt-get install -y --no-install-recommends dataset-fashion-mnist && rm -rf /var/lib/apt/lists/*

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime-cpu

# libtorch's CUDA build needs driver 570 or newer on the node (CUDA 12.8); the NVIDIA container toolkit mounts the
# driver and nvidia-smi, which `Worker__Slots=auto` reads free GPU memory with.
FROM nvidia/cuda:12.8.1-runtime-ubuntu24.04 AS runtime-cuda
COPY --from=mcr.microsoft.com/dotnet/aspnet:10.0-noble /usr/share/dotnet /usr/share/dotnet
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl3t64 tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && useradd --uid 1654 --user-group --no-create-home --shell /usr/sbin/nologin app
ENV DOTNET_RUNNING_IN_CONTAINER=true

FROM runtime-${TORCH_BACKEND}
LABEL org.opencontainers.image.title="cnngrid/worker"
WORKDIR /app
COPY --from=build /app .
COPY --from=dataset /usr/share/datasets/fashion-mnist /usr/share/datasets/fashion-mnist
COPY deploy/docker/entrypoint.sh deploy/docker/healthcheck.sh /usr/local/bin/
ENV ASPNETCORE_HTTP_PORTS=8080
# HTTP (/healthz, /metrics) and the silo port (Orleans' default; Cluster__SiloPort changes it).
EXPOSE 8080 11111
USER 1654
# A worker waits up to 2 min for the cluster's database before it serves HTTP.
HEALTHCHECK --interval=10s --timeout=5s --start-period=150s --retries=3 CMD ["healthcheck.sh", "8080", "/healthz"]
ENTRYPOINT ["entrypoint.sh", "CnnGrid.FoldWorker.dll"]
