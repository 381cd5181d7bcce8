# syntax=docker/dockerfile:1
# model_engine: `python -m model_engine`; bus (/ws, /healthz, /metrics) on 8702, HTTP API on 8712.
# torch-free: serves ONNX models with onnxruntime; training is docker/train.Dockerfile.
# Build from the repository root: docker build -f docker/model_engine.Dockerfile -t neurotradex/model_engine .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG EXTRAS=serve,models
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
COPY model_engine/ model_engine/
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
    MODEL_ENGINE__BUS__HOST=0.0.0.0 \
    MODEL_ENGINE__HTTP__HOST=0.0.0.0
WORKDIR /data
USER 10001:10001
EXPOSE 8702 8712
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/opt/ntx/healthcheck.py", "MODEL_ENGINE__HTTP__PORT", "8712", "/healthz"]
CMD ["python", "-m", "model_engine"]
