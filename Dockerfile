FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    BIND=0.0.0.0:8000 \
    LOAD_HISTORY=true

WORKDIR /app
COPY setup.cfg pyproject.toml README.md alembic.ini gunicorn.conf.py ./
COPY service ./service
COPY migrations ./migrations
RUN pip install -e . \
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
