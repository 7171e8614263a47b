"""``exchange-log import`` checks each line like an API write, not only the hash chain.

Anyone can recompute the chain over invented content, so a backup whose chain verifies may
still carry a ``javascript:`` source URL (it reached an Atom ``href``), control characters,
impossible figures or unknown fields. Each is refused naming the first bad line; nothing is
restored. Both stores.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from service.domain.hashing import GENESIS_HASH, envelope_hash
from service.schemas.fields import URL_MESSAGE
from service.store import event_reads
from service.store.backup import BackupRejected, export_to, import_from
from service.store.engine import make_engine
from tests.builders import fill

pytestmark = pytest.mark.hostile
Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def exported(engine, client, auth) -> list[dict[str, Any]]:
    """1 swap jan, 2 proposal p1, 3 its refusal, 4 swap feb, 5 a correction of feb,
    6 the retraction of p1, 7 swap mar: stored envelopes as exported."""
    fill(client, auth)
    out = io.StringIO()
    export_to(engine, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def forged(envelopes: list[dict[str, Any]], line: int, edit: Edit) -> str:
    """The export with ``edit`` applied to one line and the hash chain recomputed after it,
    as anyone holding the file can do."""
    prev = GENESIS_HASH
    lines = []
    for number, original in enumerate(envelopes, start=1):
        envelope = json.loads(json.dumps(original))
        if number == line:
            edit(envelope)
        envelope["prev_hash"] = prev
        envelope["hash"] = prev = envelope_hash(envelope)
        lines.append(json.dumps(envelope))
    return "\n".join(lines)


def _set(path: str, value: Any) -> Edit:
    def edit(envelope: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = envelope
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[int(last) if isinstance(target, list) else last] = value

    return edit


CASES = {
    "javascript source url": (
        1,
        _set("sources.0.url", "javascript:alert(1)"),
        f"sources.0.url: {URL_MESSAGE}",
    ),
    "control character in a source title": (
        4,
        _set("sources.0.title", "Reuters\x0b"),
        "sources.0.title: Must not contain control characters (found U+000B)",
    ),
    "no source": (7, _set("sources", []), "sources: give 1 to 50 sources"),
    "control character in a summary": (
        2,
        _set("data.summary", "all for all\x1b[31m"),
        "data.summary: Must not contain control characters (found U+001B)",
    ),
    "negative figure": (1, _set("data.sides.0.received", -5), "data.sides.0.received: Must be"),
    "more military than received": (
        4,
        _set("data.sides.0.military", 10_000),
        "data.sides.0.military",
    ),
    "unknown payload field": (7, _set("data.injected", "x"), "data.injected: Unknown field."),
    "unknown category": (2, _set("data.categories", ["pirates"]), "data.categories.0:"),
    "refusal of no slug": (3, _set("data.proposal_id", "../../x"), "data.proposal_id: Must be"),
    "correction with an invalid change": (
        5,
        _set("data.changes", {"sides": [{"party": "UA", "received": "many"}]}),
        "data.changes.sides.0.received: Must be a whole number",
    ),
    "correction of nothing before it": (
        5,
        _set("data.target_event_id", "6f1c0a55-0000-4000-8000-000000000000"),
        "data.target_event_id: names no event before this one",
    ),
    "unknown date precision": (7, _set("date_precision", "week"), "date_precision:"),
    "future schema version": (7, _set("schema_version", 99), "schema_version:"),
    "stream version as a boolean": (3, _set("stream_version", True), "stream_version has the"),
    "data as a list": (2, _set("data", []), "data has the wrong type"),
    "an extra envelope field": (6, _set("extra", 1), "not an envelope (missing [], unexpected"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_forged_line_is_refused_by_number_and_nothing_is_restored(
    exported, empty_engine, case, restore_batches
):
    line, edit, message = CASES[case]
    with pytest.raises(BackupRejected) as caught:
        import_from(empty_engine, io.StringIO(forged(exported, line, edit)))
    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}: {message}"), str(caught.value)
    with empty_engine.connect() as conn:
        assert event_reads.head(conn) == (0, None)


def test_an_untouched_export_still_restores(exported, empty_engine):
    head = import_from(empty_engine, io.StringIO(forged(exported, 0, _set("x", 0))))
    assert (head.events, head.hash) == (7, exported[-1]["hash"])


def test_the_import_command_names_the_line(app, exported, empty_engine, tmp_path, monkeypatch):
    path = tmp_path / "forged.ndjson"
    path.write_text(forged(exported, 4, _set("sources.0.url", "javascript:alert(1)")))
    monkeypatch.setitem(app.extensions, "engine", empty_engine)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert f"{path}: line 4: sources.0.url: {URL_MESSAGE}" in result.output


def test_an_engine_without_a_content_check_refuses_to_restore(exported, backend, request):
    factory = request.getfixturevalue(f"{backend}_factory")
    url = factory.fresh()
    bare = make_engine(url)  # no wiring: no hooks, no restore check
    try:
        with pytest.raises(BackupRejected, match="no content check"):
            import_from(bare, io.StringIO(forged(exported, 0, _set("x", 0))))
    finally:
        bare.dispose()
        factory.drop(url)


def test_a_duplicated_event_id_is_refused_as_a_clash(exported, empty_engine):
    """Content and chain can be forged consistently around a repeated id: the store's own
    constraint refuses it, named by the lines of the batch, and nothing is restored."""
    first_id = exported[0]["id"]
    with pytest.raises(BackupRejected) as caught:
        import_from(empty_engine, io.StringIO(forged(exported, 7, _set("id", first_id))))
    detail = {
        "sqlite": "UNIQUE constraint failed: events.id",
        "postgresql": 'duplicate key value violates unique constraint "events_id_key"',
    }[empty_engine.dialect.name]
    assert str(caught.value) == f"lines 1-7 clash ({detail})"
    with empty_engine.connect() as conn:
        assert event_reads.head(conn) == (0, None)
