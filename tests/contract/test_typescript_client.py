"""The TypeScript client (clients/typescript) is generated from openapi.yaml, builds with
``tsc --strict``, and takes a newsroom through its day against gunicorn (node's test runner).

Its dependencies are pinned in package-lock.json and installed with ``npm ci`` (``.ci/run``
does). Without clients/typescript/node_modules these tests are skipped, saying so; under CI
(``CI=true``) they fail instead.
"""

from __future__ import annotations

import filecmp
import json
import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.store import tokens
from tests.servers import running_gunicorn

CLIENT = Path(__file__).resolve().parents[2] / "clients" / "typescript"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def npm() -> str:
    """The npm that runs the client's scripts, once its dependencies are installed."""
    npm = shutil.which("npm")
    missing = None
    if npm is None:
        missing = "npm is not on PATH"
    elif not (CLIENT / "node_modules").is_dir():
        missing = "clients/typescript/node_modules is absent: run `npm ci` there"
    if missing is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"TypeScript client cannot be tested under CI: {missing}", pytrace=False)
        pytest.skip(f"TypeScript client not tested: {missing}")
    return npm


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command,
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


@pytest.fixture
def server(database_url: str) -> Iterator[str]:
    with running_gunicorn(database_url, workers=2, env={"LIVE_MAX_SECONDS": "5"}) as server:
        yield server.base_url


class TestTypeScriptClient:
    def test_the_committed_types_are_what_openapi_typescript_makes_of_the_document(
        self, npm, tmp_path
    ):
        # The package's own `generate` script, writing elsewhere.
        script = json.loads((CLIENT / "package.json").read_text())["scripts"]["generate"]
        program, *arguments = shlex.split(script)
        fresh = tmp_path / "schema.d.ts"
        arguments[arguments.index("--output") + 1] = str(fresh)
        _run([str(CLIENT / "node_modules" / ".bin" / program), *arguments])
        assert filecmp.cmp(CLIENT / "src" / "schema.d.ts", fresh, shallow=False), (
            "clients/typescript/src/schema.d.ts drifted from openapi.yaml: run `make sdk`"
        )

    def test_a_newsroom_records_corrects_reads_and_cites_its_figures(self, npm, server, engine):
        env = {
            "EXCHANGE_LOG_URL": server,
            "EXCHANGE_LOG_TOKEN": tokens.create_token(engine, "newsroom", "write"),
            "EXCHANGE_LOG_ADMIN": tokens.create_token(engine, "editor", "admin"),
        }
        output = _run([npm, "test"], env)  # tsc --strict, then node --test
        assert "# pass 1" in output and "# fail 0" in output, output
