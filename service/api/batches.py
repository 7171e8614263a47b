"""POST /v1/batches: up to 1,000 writes to the write endpoints, appended all or none."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from flask import current_app, g, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from ..batches import BatchItem, BatchRequest, record_batch
from ..domain.batches import parse_path
from ..domain.errors import PayloadInvalid, RuleViolation
from ..recording import WriteRequest, fingerprint
from ..schemas.batches import BatchResult, BatchWrite
from ..schemas.fast_load import with_fast_load
from ..store.event_reads import event_envelope
from .auth import BEARER_SECURITY, requires
from .blueprint import Blueprint
from .context import log_engine
from .problems import flatten_messages
from .write_views import WRITE_HEADERS, idempotency_key_header, write_route

BATCHES_PATH = "/v1/batches"
blp = Blueprint("batches", __name__, url_prefix=BATCHES_PATH, description="Batches of writes")


@blp.route("", methods=["POST"])
@requires("write", confirmed_by_append=True)
@blp.arguments(with_fast_load(BatchWrite()))
@blp.response(201, BatchResult, description="The stored events, one per item, in order")
@blp.alt_response(400, response="BAD_REQUEST", description="Malformed JSON or headers")
@blp.alt_response(401, response="UNAUTHORIZED", description="Missing or invalid bearer token")
@blp.alt_response(403, response="FORBIDDEN", description="Token lacks scope write")
@blp.alt_response(
    409,
    response="CONFLICT",
    description="An item's id is taken, or its expected_version differs (detail names the"
    " item); nothing was written",
)
@blp.alt_response(413, response=HTTPStatus(413).name, description="Body too large")
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE", description="Body is not JSON")
@blp.doc(operationId="createBatch", security=BEARER_SECURITY, parameters=WRITE_HEADERS)
def create_batch(body):
    """Record up to 1,000 writes at once, all or none (422 names the item and field)."""
    key = idempotency_key_header()
    batch = BatchRequest(
        items=batch_items(body["items"]),
        recorded_by=g.token.name,
        token_hash=g.get("token_hash"),
        idempotency_key=key,
        request_fingerprint=(
            fingerprint(request.method, request.path, request.get_json()) if key else ""
        ),
    )
    events, fresh = record_batch(log_engine(), batch)
    headers = {} if fresh else {"Idempotent-Replayed": "true"}
    # BatchResult's shape, built directly (as the single writes do): no marshmallow dump.
    return jsonify({"events": [event_envelope(e) for e in events]}), 201, headers


def batch_items(raw_items: Sequence[Mapping[str, Any]]) -> list[BatchItem]:
    """Each item matched to its write endpoint and its body loaded by that endpoint's schema;
    one 422 naming every item that names no write endpoint or whose body does not load."""
    adapter = current_app.url_map.bind("localhost")
    # (method, path) -> endpoint and arguments: the items of a batch mostly share a few paths
    matched: dict[tuple[str, str], tuple[str | None, Mapping[str, Any]]] = {}
    items: list[BatchItem] = []
    errors: dict[str, list[str]] = {}
    for index, raw in enumerate(raw_items):
        try:
            path, reference = parse_path(raw["path"], index)
        except RuleViolation as exc:
            errors[exc.field] = [exc.field_message]
            continue
        found = matched.get((raw["method"], path))
        if found is None:
            try:
                found = adapter.match(path, method=raw["method"])
            except HTTPException:
                found = None, {}
            matched[raw["method"], path] = found
        endpoint, args = found
        route = write_route(current_app.view_functions.get(endpoint or ""))
        if route is None:
            errors[f"items.{index}.path"] = [
                f"No write endpoint takes {raw['method']} {raw['path']}."
            ]
            continue
        try:
            loaded = route.schema.load(raw["body"])
        except ValidationError as exc:
            errors.update(flatten_messages({"items": {index: {"body": exc.messages}}}))
            continue
        parent = str(next(iter(args.values()))) if route.child else None
        request_obj = WriteRequest(
            event_type=route.event_type, body=loaded, recorded_by=g.token.name, parent_id=parent
        )
        items.append(
            BatchItem(request=request_obj, body_fields=route.body_fields, reference=reference)
        )
    if errors:
        raise PayloadInvalid(errors)
    return items
