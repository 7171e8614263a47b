"""openapi.yaml is generated from the code, committed, valid, and served by the app."""

from __future__ import annotations

from pathlib import Path

import yaml
from openapi_spec_validator import validate

from service.api.openapi import spec_yaml
from service.app import create_app
from service.config import Settings

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.yaml"


def _app(tmp_path):
    return create_app(Settings(database_url=f"sqlite:///{tmp_path / 'spec.db'}"))


class TestOpenApiDocument:
    def test_committed_document_equals_the_generated_one(self, tmp_path):
        generated = spec_yaml(_app(tmp_path).extensions["api"])
        assert COMMITTED.read_text(encoding="utf-8") == generated, (
            "openapi.yaml drifted from the code: run `exchange-log write-spec` and commit it"
        )

    def test_committed_document_is_valid_openapi(self):
        validate(yaml.safe_load(COMMITTED.read_text(encoding="utf-8")))

    def test_every_operation_has_an_operation_id_and_documented_errors(self):
        spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if method == "parameters":
                    continue
                assert op.get("operationId"), f"{method.upper()} {path} has no operationId"
                assert "default" in op["responses"], f"{method.upper()} {path} lacks errors"

    def test_errors_are_documented_as_problem_json(self):
        spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
        for name in ("UNPROCESSABLE_ENTITY", "NOT_FOUND", "DEFAULT_ERROR", "UNAUTHORIZED"):
            content = spec["components"]["responses"][name]["content"]
            assert list(content) == ["application/problem+json"], name

    def test_the_running_app_serves_the_same_document(self, tmp_path):
        response = _app(tmp_path).test_client().get("/openapi.yaml")
        assert response.status_code == 200
        assert response.data.decode("utf-8") == COMMITTED.read_text(encoding="utf-8")
