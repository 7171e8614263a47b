"""Fault tests: what a client sees when the server, the database or a client misbehaves."""

from __future__ import annotations

import pytest

# One line per fault test with its figures (writes acknowledged, retried, ...), shown at the
# end of the run: what the test went through, not only that it passed.
REPORTS: list[str] = []


@pytest.fixture
def report():
    return REPORTS.append


def pytest_terminal_summary(terminalreporter):
    if REPORTS:
        terminalreporter.section("fault tests")
        for line in REPORTS:
            terminalreporter.write_line(line)
