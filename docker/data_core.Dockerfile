# syntax=docker/dockerfile:1
# data_core: `python -m data_core`; bus (/ws, /healthz, /metrics) on 8701, HTTP API on 8711.
# torch-free: embeddings off by default (DATA_CORE__NEWS__EMBEDDINGS=false);
# build with --build-arg EXTRAS=serve,data,nlp to embed headlines (adds torch, ~1 GB).
# Build from the repository root: docker build -f docker/data_core.Dockerfile -t neurotradex/data_core .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG EXTRAS=serve,data
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY signal_schema/ signal_schema/
COPY signal_bus/ signal_bus/
COPY store_migrations/ store_migrations/
COPY service_runtime/ service_runtime/
COPY feature_spec/ feature_spec/
COPY market_store/ market_store/
COPY venue_adapter/ venue_adapter/
COPY data_core/ data_core/
# setuptools finds every listed package; the others are absent and simply skipped.
RUN pip install -c constraints.txt ".[${EXTRAS}]"

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 ntx \
    && useradd --system --uid 10001 --gid ntx --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin ntx \
    && mkdir -p /data \
    && chown ntx:ntx /data
COPY --from=build /opt/venv /opt/venv
COPY docker/healthcheck.py /opt/ntx/healthcheck.py
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NTX_HOME=/data \
    DATA_CORE__BUS__HOST=0.0.0.0 \
    DATA_CORE__HTTP__HOST=0.0.0.0 \
    DATA_CORE__NEWS__EMBEDDINGS=false
WORKDIR /data
USER 10001:10001
EXPOSE 8701 8711
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/opt/ntx/healthcheck.py", "DATA_CORE__HTTP__PORT", "8711", "/healthz"]
CMD ["python", "-m", "data_core"]
