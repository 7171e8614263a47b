"""Run schemathesis' engine — what ``st run`` runs — on a loaded schema and read its verdict.

The same engine, configuration (``schemathesis.toml`` beside this file), hooks and checks
serve the in-process run (a WSGI app) and the run against gunicorn; the terminal report is
printed as ``st run`` prints it (pytest shows it when a test fails), and the verdict is the
document ``st run --report json`` writes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemathesis.cli.commands.run.context import ExecutionContext
from schemathesis.cli.commands.run.handlers.output import OutputHandler
from schemathesis.cli.events import LoadingFinished, LoadingStarted
from schemathesis.cli.json_report import build_document
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

CONFIG_FILE = Path(__file__).with_name("schemathesis.toml")
# Warnings that mean the run did not reach what it should have: each one fails the suite.
BLOCKING_WARNINGS = ("missing_test_data", "missing_auth", "rate_limited")


def fuzz_config(*, headers: dict[str, str], base_url: str | None = None) -> SchemathesisConfig:
    """The committed settings, sized by FUZZ_EXAMPLES / FUZZ_STATEFUL_STEPS / FUZZ_SEED.

    One worker: with two, Hypothesis' lambda-source cache (shared, not thread-safe) now and
    then fails a case that has nothing wrong with it.
    """
    config = SchemathesisConfig.from_path(CONFIG_FILE)
    if os.environ.get("FUZZ_SEED"):
        config.update(seed=int(os.environ["FUZZ_SEED"]), max_failures=None)
    project = config.projects.override
    project.update(headers=headers, workers=1, base_url=base_url)
    if os.environ.get("FUZZ_EXAMPLES"):
        project.generation.update(max_examples=int(os.environ["FUZZ_EXAMPLES"]))
    if os.environ.get("FUZZ_STATEFUL_STEPS"):
        project.phases.stateful.max_steps = int(os.environ["FUZZ_STATEFUL_STEPS"])
    return config


@dataclass(frozen=True)
class FuzzReport:
    """The verdict of one run, as ``st run --report json`` writes it."""

    document: dict[str, Any]

    @property
    def failures(self) -> list[dict[str, Any]]:
        return self.document["failures"]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.document["errors"]

    @property
    def phases(self) -> dict[str, str]:
        return {name: phase["status"] for name, phase in self.document["phases"].items()}

    def warned(self, *kinds: str) -> dict[str, list[str]]:
        """Operations named by each of these warnings (only warnings that were given)."""
        warnings = self.document["warnings"]
        return {kind: warnings[kind] for kind in kinds if warnings.get(kind)}

    def valid_rates(self) -> dict[str, dict[str, dict[str, int]]]:
        """Per operation and phase: valid cases accepted, unreachable (404), conflicts, rejected."""
        return self.document["valid_rates"]

    def rejected(self) -> str:
        """Operations and phases whose valid cases were all refused (a business rule each)."""
        lines = [
            f"{label} ({phase}): {rate['rejected']} refused, {rate['conflicts']} conflicts,"
            f" {rate['unreachable']} not found"
            for label, phases in sorted(self.valid_rates().items())
            for phase, rate in phases.items()
            if rate["rejected"] and not rate["accepted"]
        ]
        return "valid cases all refused: " + ("; ".join(lines) or "none")

    def summary(self) -> str:
        """Phases, test cases and warnings on a few lines (for the test report)."""
        cases = self.document["test_cases"]
        given = {kind: len(ops) for kind, ops in self.document["warnings"].items() if ops}
        return (
            f"phases {self.phases}; test cases {cases['generated']} generated,"
            f" {cases['with_failures']} failing; warnings {given or 'none'}"
        )


def run(schema: Any, location: str) -> FuzzReport:
    """Every configured phase against the schema's target (its app, or its base URL)."""
    config = schema.config
    context = ExecutionContext(config=config)
    output = OutputHandler(config=config)
    output.start(context)
    started: float | None = None
    finished: events.EngineFinished | None = None
    fatal: events.FatalError | None = None
    for event in _events(schema, location):
        context.on_event(event)
        output.handle_event(context, event)
        if isinstance(event, events.EngineStarted):
            started = event.timestamp
        elif isinstance(event, events.EngineFinished):
            finished = event
        elif isinstance(event, events.FatalError):
            fatal = event
    output.shutdown(context)
    document = build_document(
        summary=context.summary(),
        command="tests/contract/fuzz_run.py",
        seed=config.seed,
        started_at=started,
        finished=finished,
        fatal_error=fatal,
        exit_code=context.exit_code,
    )
    return FuzzReport(document)


def _events(schema: Any, location: str) -> Iterator[events.EngineEvent]:
    # The two loading events `st run` emits before the engine starts; handlers expect them.
    loading = LoadingStarted(location=location)
    yield loading
    yield LoadingFinished.from_schema(
        schema, location=location, start_time=loading.timestamp, base_url=schema.get_base_url()
    )
    yield from from_schema(schema).execute()
