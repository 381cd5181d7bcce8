# syntax=docker/dockerfile:1
# dashboard_ui: the gateway (`ntx gateway`) on 8700 serving the dashboard's static export, the
# token-protected /api/* (forwarded to the services) and the browser /ws relay.
# Build from the repository root: docker build -f docker/dashboard_ui.Dockerfile .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:22-bookworm-slim

# Stage 1: the Next.js static export of dashboard_ui/ when that app exists. The glob keeps the
# COPY valid while the folder is absent (pyproject.toml always matches); with no package.json
# the stage leaves /dashboard empty and the gateway serves its built-in live page.
FROM ${NODE_IMAGE} AS dashboard
WORKDIR /src/dashboard_ui
COPY pyproject.toml dashboard_u[i] ./
RUN mkdir -p /dashboard \
    && if [ -f package.json ]; then \
         npm ci --no-audit --no-fund && npm run build && cp -r out /dashboard/out; \
       fi

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY signal_schema/ signal_schema/
COPY signal_bus/ signal_bus/
COPY service_runtime/ service_runtime/
COPY neurotradex/ neurotradex/
RUN pip install -c constraints.txt ".[serve]"

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 ntx \
    && useradd --system --uid 10001 --gid ntx --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin ntx \
    && mkdir -p /data \
    && chown ntx:ntx /data
COPY --from=build /opt/venv /opt/venv
COPY --from=dashboard /dashboard /opt/ntx/dashboard
COPY docker/healthcheck.py /opt/ntx/healthcheck.py
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NTX_HOME=/data \
    GATEWAY__HTTP__HOST=0.0.0.0 \
    GATEWAY__DASHBOARD_DIR=/opt/ntx/dashboard/out
WORKDIR /data
USER 10001:10001
EXPOSE 8700
# The gateway has no /healthz of its own; /api/health needs no token and answers 200 while
# the gateway runs (its body reports each service's health).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/opt/ntx/healthcheck.py", "GATEWAY__HTTP__PORT", "8700", "/api/health"]
CMD ["ntx", "gateway"]
