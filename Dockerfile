FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    BIND=0.0.0.0:8000

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

# Migrate, then hand the process over to gunicorn (exec: it receives the signals).
CMD ["sh", "-c", "exchange-log migrate && exec gunicorn -c gunicorn.conf.py service.wsgi:app"]
