"""gunicorn settings for ``gunicorn -c gunicorn.conf.py service.wsgi:app``.

gthread workers: each worker serves GUNICORN_THREADS requests at once on threads. A
Server-Sent Events stream (GET /v1/events/live) holds no thread: once its response head is
sent, the worker hands the connection to its hub (service/streaming/hub.py), one thread
serving every follower of the process with one LISTEN connection; at most
LIVE_MAX_FOLLOWERS per worker (then 503). Streams end after LIVE_MAX_SECONDS, or when the
worker stops, and clients reconnect with Last-Event-ID.

Slow clients (service/worker.py): a thread only serves a request once it has fully arrived;
until then the connection waits in the worker's poller, holding no thread. A request must
arrive within CLIENT_REQUEST_TIMEOUT seconds of its first byte (else 408, closed), with no
pause longer than `keepalive` (KEEPALIVE_SECONDS; also how long an idle kept-alive
connection stays open); a response the client stops reading for CLIENT_STALL_TIMEOUT
seconds is abandoned and its connection closed. `timeout` (GUNICORN_TIMEOUT) is something
else: how long the master waits for a silent worker process before killing it.
"""

import os
import resource

# Every follower is an open socket: allow as many descriptors as the hard limit permits.
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if _hard != resource.RLIM_INFINITY and _soft < _hard:
    resource.setrlimit(resource.RLIMIT_NOFILE, (_hard, _hard))

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# gthread, with slow clients held to bounded time (CLIENT_REQUEST_TIMEOUT, CLIENT_STALL_TIMEOUT).
worker_class = "service.worker.BoundedThreadWorker"
# The workers share one listening socket, and one that holds more connections than another
# leaves a new one to it (service/worker_balance.py): kept-alive clients spread evenly. With
# REUSE_PORT=1 each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads
# new connections by a hash of the client's address, blind to load: no balancing then.
reuse_port = os.environ.get("REUSE_PORT", "0") not in ("0", "false", "no", "")
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Each worker on a CPU of its own, the one the fewest live workers hold (service/cpu_pinning.py):
# its threads hand the GIL over on one CPU. PIN_WORKERS=0: the kernel places them.
PIN_WORKERS = os.environ.get("PIN_WORKERS", "1") not in ("0", "false", "no", "")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
keepalive = int(os.environ.get("KEEPALIVE_SECONDS", "5"))
graceful_timeout = 10
# ACCESS_LOG: "-" (stdout, the default), a file path, or empty to switch the access log off.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
# gunicorn's default format has %(u)s, the user name it decodes from a Basic Authorization
# header: `curl -u "$TOKEN:"` would write the secret to the log. Ours logs "-" in its place
# and no request header at all (tests/api/test_hostile_gunicorn.py checks it over gunicorn).
access_log_format = '%(h)s %(l)s - %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
# No control socket: it would be created under $HOME, which a container user may not have.
control_socket_disable = True

# No server banner: gunicorn writes "Server: gunicorn" itself, outside the app's control;
# replace the name it sends (workers are forked from this process and inherit it).
import gunicorn.http.wsgi  # noqa: E402

gunicorn.http.wsgi.SERVER = "pow-exchange-log"

# gunicorn answers what never reaches the app (a request line or headers too large, a malformed
# request) with an HTML page of its own; every error of the service is an RFC 9457 problem
# document, these too.
import gunicorn.util  # noqa: E402

from service.worker import write_problem  # noqa: E402

gunicorn.util.write_error = write_problem

# Prometheus across workers: every worker writes its counters into PROMETHEUS_MULTIPROC_DIR
# and /metrics (whichever worker answers) adds them all up. The directory must be empty when
# the server starts and must not be shared between servers; without the variable, a fresh
# temporary directory is used. Workers read the variable when they import the app.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    import tempfile

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="exchange-log-metrics-")


# Connections held per worker, shared with the workers forked from this process.
from service.worker_balance import Loads  # noqa: E402

LOADS = Loads()

# The CPUs the workers are pinned to (PIN_WORKERS), as allowed to this process at start-up.
from service import cpu_pinning  # noqa: E402

CPUS = cpu_pinning.allowed_cpus() if PIN_WORKERS else []


def pre_fork(server, worker):
    """The worker's slot in LOADS (on the shared socket only: see reuse_port), and its CPU
    (PIN_WORKERS): the allowed one the fewest live workers hold."""
    if not server.cfg.reuse_port:
        worker.loads, worker.load_slot = LOADS, LOADS.claim()
    taken = (getattr(other, "cpu", None) for other in server.WORKERS.values())
    worker.cpu = cpu_pinning.least_used(CPUS, taken)


def post_fork(server, worker):
    """In the new worker, before it starts any thread: onto its CPU (if any)."""
    cpu_pinning.pin(worker.cpu)


def on_starting(server):
    """Start from an empty metrics directory: counters of an earlier run must not linger."""
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    """A dead worker's live gauges are dropped; its counters stay in the totals. Its slot
    in LOADS is free again."""
    from prometheus_client import multiprocess

    LOADS.release(getattr(worker, "load_slot", None))
    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """The app is loaded: keep its start-up objects out of the garbage collector's passes
    (service/gc_tuning.py)."""
    from service.gc_tuning import settle_heap

    settle_heap()
