# Base image pinned by digest (the tag alone can move). PYTHON_IMAGE's digest was taken from
# public sources, not checked here (no Docker engine or registry on the development machines):
# before a release, confirm or refresh it with
#   docker buildx imagetools inspect python:3.11-slim-bookworm --format '{{json .Manifest.Digest}}'
# and build with --build-arg PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:<that digest>.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:2e32f7d302adc1c37428355c1e646897c0c53f4fd60b6a551245fb90ee129f91
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BIND=0.0.0.0:8000 \
    LOAD_HISTORY=true

WORKDIR /app
# Every package by version and hash (requirements/runtime.lock, the versions the tests ran
# with); then the service itself, with no dependency resolution and no build isolation, so
# nothing unpinned is downloaded.
COPY requirements/runtime.lock ./requirements/runtime.lock
RUN pip install --require-hashes -r requirements/runtime.lock
COPY setup.cfg pyproject.toml README.md alembic.ini gunicorn.conf.py ./
COPY service ./service
COPY migrations ./migrations
RUN pip install --no-deps --no-build-isolation -e . \
    && pip check \
    && useradd --system --create-home --uid 10001 app \
    && mkdir -p /app/instance \
    && chown app /app/instance

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"

# Migrate, load the shipped history when LOAD_HISTORY is true (idempotent), then hand the
# process over to gunicorn (exec: it receives the signals). gunicorn.conf.py runs gthread
# workers: a live stream (GET /v1/events/live) holds one thread, never a whole worker.
CMD ["sh", "-c", "exchange-log migrate && case \"$LOAD_HISTORY\" in 1|true|yes|on) exchange-log import-history;; esac && exec gunicorn -c gunicorn.conf.py service.wsgi:app"]
