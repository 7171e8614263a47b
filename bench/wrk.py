"""Running wrk (the C load generator, from Debian's packages) and reading its report."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_TOTAL = re.compile(r"(\d+) requests in")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_PERCENTILE = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    rate: float
    requests: int
    non_2xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float


def ensure_wrk() -> str:
    """wrk's path; installed from the distribution's packages when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed and could not be installed (apt-get install wrk)")
    return found


def run_wrk(
    url: str,
    *,
    connections: int = 16,
    seconds: float = 10,
    threads: int = 2,
    script: Path | None = None,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    """One wrk run against ``url``; its figures (latency percentiles in milliseconds)."""
    command = [
        ensure_wrk(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return parse(output)


def parse(output: str) -> WrkResult:
    """The figures in one wrk report (``--latency`` for the percentiles)."""
    percentiles = {m[0]: float(m[1]) * _UNIT[m[2]] for m in _PERCENTILE.findall(output)}
    errors = _ERRORS.search(output)
    non_2xx = _NON_2XX.search(output)
    return WrkResult(
        rate=float(_RATE.search(output).group(1)),
        requests=int(_TOTAL.search(output).group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(g) for g in errors.groups()) if errors else 0,
        p50_ms=percentiles.get("50", 0.0),
        p99_ms=percentiles.get("99", 0.0),
    )
