# syntax=docker/dockerfile:1
#
# Ventra Gateway image. Build from the repository root:
#
#   docker build \
#     --build-arg VERSION="$(mvn -q help:evaluate -Dexpression=project.version -DforceStdout)" \
#     --build-arg GIT_SHA="$(git rev-parse HEAD)" \
#     -t ventra-gateway:"$(git rev-parse --short HEAD)" .
#
# The image carries no configuration: mount a directory holding gateway.yaml and api-keys.yaml at /etc/ventra
# (the key file is resolved relative to gateway.yaml). Other commands run the same way, for example
#   docker run --rm ventra-gateway:TAG --version
#   docker run --rm -v "$PWD/config:/etc/ventra:ro" ventra-gateway:TAG validate --config /etc/ventra/gateway.yaml

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src

# POMs first, so the dependency layer below is rebuilt only when a POM changes, not on every source edit.
# go-offline skips the reactor's own modules (excludeReactor defaults to true); the plugin version is pinned
# so the layer does not change with the newest release on Maven Central.
COPY pom.xml ./
COPY gateway-core/pom.xml gateway-core/
COPY gateway-proxy/pom.xml gateway-proxy/
COPY benchmarks/pom.xml benchmarks/
RUN mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline

COPY . .
# Declared here, not at the top, so a new commit does not invalidate the dependency layer.
ARG GIT_SHA=unknown
RUN mvn -q -B -DskipTests -Dgit.commit="${GIT_SHA}" package

FROM eclipse-temurin:17-jre

ARG VERSION=unknown
ARG GIT_SHA=unknown
LABEL org.opencontainers.image.title="Ventra Gateway" \
      org.opencontainers.image.description="Rate-limiting API gateway" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${GIT_SHA}"

# A numeric UID, so Kubernetes can check runAsNonRoot without a passwd lookup; 10001 stays clear of the
# base image's own users.
RUN groupadd --system --gid 10001 ventra \
    && useradd --system --uid 10001 --gid ventra --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin ventra \
    && mkdir -p /etc/ventra

COPY --from=build /src/gateway-proxy/target/ventra-gateway.jar /opt/ventra/ventra-gateway.jar

USER 10001:10001
EXPOSE 8080 9090

# The JVM (PID 1, exec form below) gets SIGTERM directly and runs the graceful drain. Give it more time than
# server.drain-delay + server.shutdown-grace before the runtime sends SIGKILL (docker stop -t, compose
# stop_grace_period, Kubernetes terminationGracePeriodSeconds).
STOPSIGNAL SIGTERM

# bash's /dev/tcp speaks HTTP with no extra binary: the base image's curl and wget are there only for
# historical reasons (its own Dockerfile says so) and are not ours to rely on, and a second JVM per check
# would cost far more than the check. Healthy means the status line is exactly 200; a refused connection,
# a timeout (read -t) or any other status is unhealthy. VENTRA_ADMIN_PORT follows the example config.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${VENTRA_ADMIN_PORT:-9090} && printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r -t 2 status <&3 && [[ $status == 'HTTP/1.1 200 '* ]]"]

# MaxRAMPercentage sizes the heap from the container's memory limit and leaves 25 % for Netty's direct
# buffers, metaspace and thread stacks. ExitOnOutOfMemoryError ends the process on a heap OOM so the
# orchestrator restarts it instead of leaving a half-working JVM. Add flags with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/ventra/ventra-gateway.jar"]
CMD ["run", "--config", "/etc/ventra/gateway.yaml"]
