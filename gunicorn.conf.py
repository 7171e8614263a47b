"""gunicorn settings for ``gunicorn -c gunicorn.conf.py service.wsgi:app``.

gthread workers: each worker serves several requests at once on threads, so a long-lived
Server-Sent Events stream (GET /v1/events/live) ties up one thread, not a whole worker. A
worker holds at most GUNICORN_THREADS requests at once, live streams included: size it for
the number of followers you expect (each PostgreSQL stream also holds one LISTEN connection).
Streams end after LIVE_MAX_SECONDS and clients reconnect with Last-Event-ID; on SIGTERM,
graceful_timeout bounds how long open streams delay a restart.
"""

import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 10
# ACCESS_LOG: "-" (stdout, the default), a file path, or empty to switch the access log off.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
# No control socket: it would be created under $HOME, which a container user may not have.
control_socket_disable = True
