"""A real browser on the real history: headless Chromium (Debian's /usr/bin/chromium) driven by
Playwright, against gunicorn serving a database loaded with ``exchange-log import-history``.

Playwright never downloads a browser here: it launches the distribution's Chromium. Without
that browser (or without ``npm ci`` in this folder, for axe-core) the tests are skipped with
the reason; under CI (``CI=true``) or with ``REQUIRE_BROWSER=1`` that is a failure instead.
Screenshots go to ``TEST_ARTIFACTS`` (default ``test-artifacts/`` at the repository root).
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.databases import backends
from tests.servers import GunicornServer, running_gunicorn

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
# Flags for a sandboxed CI machine: no GPU, no sandbox (root), nothing fetched in the background.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EXCHANGE_LOG = Path(sys.executable).with_name("exchange-log")

pytestmark = pytest.mark.browser


def browser_required() -> bool:
    """CI and REQUIRE_BROWSER=1 fail where a developer's run would skip."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get(
        "REQUIRE_BROWSER", ""
    ).lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    if browser_required():
        pytest.fail(f"{reason} (required under CI / REQUIRE_BROWSER)", pytrace=False)
    pytest.skip(f"{reason}: browser tests skipped (.ci/run installs it)")


def artifacts_dir() -> Path:
    path = Path(os.environ.get("TEST_ARTIFACTS") or ROOT / "test-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def chromium():
    """The distribution's Chromium, launched by Playwright (one per test session)."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        unavailable(f"{AXE.relative_to(ROOT)} is missing (npm ci in tests/browser)")
    return AXE


class Newsroom:
    """A newsroom's site on 127.0.0.1:<port>: ``/article?src=<url>`` frames ``src``."""

    def __init__(self) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the http.server API names it so
                src = self.path.partition("?src=")[2]
                body = (
                    '<!DOCTYPE html><html lang="en"><title>An article</title>'
                    f'<iframe title="Gaps between prisoner exchanges" src="{src}"'
                    ' width="960" height="460"></iframe></html>'
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def origin(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def newsroom() -> Iterator[Newsroom]:
    site = Newsroom()
    yield site
    site.close()


@pytest.fixture(scope="module", params=backends())
def site(request, newsroom) -> Iterator[GunicornServer]:
    """gunicorn on a fresh database holding the shipped history (73 swaps, 72 gaps); the
    newsroom's 127.0.0.1 origin may frame the embed, its ``localhost`` origin may not."""
    factory = request.getfixturevalue(f"{request.param}_factory")
    url = factory.fresh()
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([str(EXCHANGE_LOG), "import-history"], env=env, check=True, cwd=ROOT)
    try:
        with running_gunicorn(
            url, workers=1, env={"EMBED_ORIGINS": newsroom.origin(), "LOG_LEVEL": "WARNING"}
        ) as server:
            yield server
    finally:
        factory.drop(url)


@dataclass
class Watch:
    """What a page reported: console errors, uncaught exceptions, CSP violations."""

    errors: list[str] = field(default_factory=list)

    def problems(self, page) -> list[str]:
        violations = page.evaluate("window.__cspViolations || []")
        return self.errors + [f"CSP violation: {v}" for v in violations]


# Every CSP violation the page's document sees (the event fires whatever the console says).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def page(chromium):
    """A fresh page in a normal context (the CSP applies), watched for errors."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    watch = Watch()
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(f"uncaught: {e}"))
    page.watch = watch
    yield page
    context.close()
