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

# No server banner: gunicorn writes "Server: gunicorn" itself, outside the app's control;
# replace the name it sends (workers are forked from this process and inherit it).
import gunicorn.http.wsgi  # noqa: E402

gunicorn.http.wsgi.SERVER = "pow-exchange-log"

# gunicorn answers what never reaches the app (a request line or headers too large, a malformed
# request) with an HTML page of its own; every error of the service is an RFC 9457 problem
# document, these too (the type base is service/api/problems.py's).
import json  # noqa: E402

import gunicorn.util  # noqa: E402

SERVER_PROBLEMS = {414: "uri-too-long", 431: "request-header-fields-too-large"}


def write_problem(sock, status_int, reason, mesg):
    """gunicorn.util.write_error, answering application/problem+json."""
    slug = SERVER_PROBLEMS.get(status_int) or reason.lower().replace(" ", "-")
    body = json.dumps(
        {
            "type": f"https://pow-exchange-log.example/problems/{slug}",
            "title": reason,
            "status": status_int,
            "detail": mesg or reason,
        }
    ).encode("utf-8")
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    gunicorn.util.write_nonblock(sock, head.encode("latin1") + body)


gunicorn.util.write_error = write_problem

# Prometheus across workers: every worker writes its counters into PROMETHEUS_MULTIPROC_DIR
# and /metrics (whichever worker answers) adds them all up. The directory must be empty when
# the server starts and must not be shared between servers; without the variable, a fresh
# temporary directory is used. Workers read the variable when they import the app.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    import tempfile

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="exchange-log-metrics-")


def on_starting(server):
    """Start from an empty metrics directory: counters of an earlier run must not linger."""
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    """A dead worker's live gauges are dropped; its counters stay in the totals."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
