# syntax=docker/dockerfile:1
# train: the one image that carries torch. Trains a model, exports it to ONNX and writes the
# artifact to NTX_HOME/models/<name>/<version>/ (model.onnx + manifest.json), which the
# torch-free model_engine image serves. Run once (compose profile `train`, Helm Job).
# Build from the repository root: docker build -f docker/train.Dockerfile .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG EXTRAS=data,train,models
# CPU wheels only: the default index's torch pulls gigabytes of CUDA libraries.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
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
COPY model_engine/ model_engine/
COPY neurotradex/ neurotradex/
RUN pip install --extra-index-url "${TORCH_INDEX_URL}" -c constraints.txt ".[${EXTRAS}]"

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 ntx \
    && useradd --system --uid 10001 --gid ntx --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin ntx \
    && mkdir -p /data \
    && chown ntx:ntx /data
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NTX_HOME=/data
WORKDIR /data
USER 10001:10001
# A one-shot job, not a server: nothing to probe.
HEALTHCHECK NONE
CMD ["ntx", "train", "--if-missing"]
