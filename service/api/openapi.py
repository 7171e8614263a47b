"""The flask-smorest Api: problem+json errors in the document, bearer auth, YAML served.

The document is served as /openapi.yaml and /openapi.json. Both are public and never
rate-limited, and rendering takes a large fraction of a second of CPU, so each is rendered
once per process (on first use, or at start by ``prime``) and then served from memory with
an ETag; ``If-None-Match`` gets a 304.
"""

from __future__ import annotations

import hashlib
import http
import json
import threading
from typing import Any

import yaml
from flask import Flask, Response, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import fields

from ..domain.events import EVENT_TYPES, FACT_TYPES
from ..domain.vocab import PARTIES, Category, DatePrecision, ProposalFormat, TermBasis
from ..schemas.common import ProblemSchema
from ..schemas.fields import COMPONENT
from . import problems
from .auth import AccessDocsPlugin
from .links import LinksPlugin

PROBLEM_CONTENT_TYPE = "application/problem+json"
SPEC_OPTIONS: dict[str, Any] = {
    "info": {
        "description": (
            "Append-only event log of prisoner-of-war exchanges between Russia and Ukraine:"
            " proposals, refusals, breaches, failed attempts and completed swaps, with their"
            " sources. Errors are RFC 9457 problem documents."
        ),
        "license": {"name": "MIT"},
    },
    "servers": [{"url": "/"}],
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "Token from `exchange-log tokens create NAME --scope write`",
            }
        }
    },
}
# The vocabularies, each one schema component, so SDKs get one type per vocabulary (not one per
# field that uses it). Fields name theirs in their metadata (schemas.fields.COMPONENT).
VOCABULARIES: dict[str, dict[str, Any]] = {
    "Party": {
        "description": "ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)",
        "enum": sorted(PARTIES),
    },
    "Category": {
        "description": "Who is exchanged: the one vocabulary of proposals, terms and swaps",
        "enum": [c.value for c in Category],
    },
    "ProposalFormat": {"enum": [f.value for f in ProposalFormat]},
    "TermBasis": {"enum": [b.value for b in TermBasis]},
    "DatePrecision": {
        "description": "How much of occurred_on is known: day, or only the month or year",
        "enum": [p.value for p in DatePrecision],
    },
    "EventType": {"description": "Type of a stored event", "enum": sorted(EVENT_TYPES)},
    "FactType": {
        "description": "Type of an event that states a fact (not a correction or retraction)",
        "enum": sorted(FACT_TYPES),
    },
}
# Keywords of a field's own documentation that are kept beside the component reference.
KEPT_BESIDE_REF = ("description", "default", "example", "nullable")
RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds until the caller's rate limit resets",
        "schema": {"type": "integer"},
    }
}
UNAVAILABLE_RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying: the database cannot be reached"
        " or is not migrated right now (retry a write with the same Idempotency-Key), or"
        " (GET /v1/events/live)"
        " the server already serves as many live streams as it is configured for",
        "schema": {"type": "integer"},
    }
}


MEDIA_TYPES = {"yaml": "application/yaml", "json": "application/json"}


class ProblemApi(Api):
    """An Api whose documented and actual errors are application/problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._rendered: dict[str, tuple[bytes, str]] = {}
        self._render_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def rendered(self, kind: str) -> tuple[bytes, str]:
        """The document as ``yaml`` or ``json`` bytes and its ETag, rendered once."""
        if kind not in self._rendered:
            with self._render_lock:
                if kind not in self._rendered:
                    text = spec_yaml(self) if kind == "yaml" else spec_json(self)
                    body = text.encode("utf-8")
                    self._rendered[kind] = (body, hashlib.sha256(body).hexdigest()[:32])
        return self._rendered[kind]

    def prime(self) -> None:
        """Render both forms now (at start), so no request pays for it."""
        for kind in MEDIA_TYPES:
            self.rendered(kind)

    def document_response(self, kind: str) -> Response:
        """The rendered document with its ETag; 304 when ``If-None-Match`` matches."""
        body, etag = self.rendered(kind)
        response = Response(body, mimetype=MEDIA_TYPES[kind])
        response.set_etag(etag)
        return response.make_conditional(request)

    def _openapi_json(self) -> Response:  # flask-smorest's /openapi.json view
        return self.document_response("json")

    def handle_http_exception(self, error: Any) -> Response:  # type: ignore[override]
        return problems.handle_http_exception(error)

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                if status == http.HTTPStatus.TOO_MANY_REQUESTS:
                    response["headers"] = RETRY_AFTER_HEADER
                elif status == http.HTTPStatus.SERVICE_UNAVAILABLE:
                    response["headers"] = UNAVAILABLE_RETRY_AFTER_HEADER
                prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            else:
                prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def make_api(app: Flask) -> ProblemApi:
    """Configure and attach the Api; the spec is built from the registered blueprints."""
    app.config.update(
        API_TITLE="POW Exchange Log",
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS=SPEC_OPTIONS,
    )
    api = ProblemApi(app, spec_kwargs={"extra_plugins": [AccessDocsPlugin(), LinksPlugin()]})
    api.register_field(fields.Url, "string", "uri")
    for name, schema in VOCABULARIES.items():
        api.spec.components.schema(name, {"type": "string", **schema})
    api.ma_plugin.converter.add_attribute_function(component_reference)
    return api


def component_reference(converter: Any, field: fields.Field, ret: dict, **kwargs: Any) -> dict:
    """A field whose metadata names a component is documented as a reference to it.

    Runs after apispec's own attribute functions and replaces what they made; a description,
    default, example or nullable of the field's own stays beside the reference (in an ``allOf``, as
    OpenAPI 3.0 ignores siblings of a bare ``$ref``).
    """
    name = field.metadata.get(COMPONENT)
    if name is None:
        return {}
    own = {key: ret[key] for key in KEPT_BESIDE_REF if key in ret}
    ret.clear()
    reference = {"$ref": f"#/components/schemas/{name}"}
    return {"allOf": [reference], **own} if own else reference


class _PlainDumper(yaml.Dumper):
    """Writes a value every time it appears: no YAML anchors and aliases (``&id001``), which
    some OpenAPI tools do not follow (examples are shared between schema components)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def spec_yaml(api: Api) -> str:
    """The OpenAPI document as YAML, as committed in openapi.yaml."""
    return api.spec.to_yaml({"sort_keys": True, "allow_unicode": True, "Dumper": _PlainDumper})


def spec_json(api: Api) -> str:
    """The OpenAPI document as JSON (what flask-smorest serves at /openapi.json)."""
    return json.dumps(api.spec.to_dict(), indent=2, ensure_ascii=False)
