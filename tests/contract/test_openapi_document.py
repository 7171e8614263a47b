"""openapi.yaml is generated from the code, committed, valid, and served by the app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from service.api.openapi import spec_yaml
from service.app import create_app
from service.config import Settings
from service.domain.events import EVENT_TYPES
from service.domain.vocab import PARTIES, Category

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


def _operations(spec: dict) -> dict[str, dict]:
    """operationId → {"path", "parameters" (path-level and own), "responses"}."""
    found = {}
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, op in item.items():
            if method == "parameters":
                continue
            names = {p["name"] for p in [*shared, *op.get("parameters", [])] if "name" in p}
            found[op["operationId"]] = {**op, "path": path, "parameters": names}
    return found


class TestDocumentedLinks:
    SPEC = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    OPERATIONS = _operations(SPEC)

    def _links(self, operation_id: str, status: str) -> dict[str, dict]:
        return self.OPERATIONS[operation_id]["responses"][status].get("links", {})

    def test_every_link_names_an_operation_and_fills_its_parameters(self):
        for operation_id, op in self.OPERATIONS.items():
            for response in op["responses"].values():
                for name, link in (response.get("links") or {}).items():
                    target = self.OPERATIONS[link["operationId"]]
                    assert set(link["parameters"]) <= target["parameters"], (operation_id, name)
                    path_parameters = set(re.findall(r"{(\w+)}", target["path"]))
                    assert path_parameters <= set(link["parameters"]), (operation_id, name)

    @pytest.mark.parametrize(
        ("write", "reads"),
        [
            ("createProposal", {"getProposal", "refuseProposal", "acceptProposal"}),
            ("refuseProposal", {"getProposal", "refuseProposal", "acceptProposal"}),
            ("acceptProposal", {"getProposal", "refuseProposal", "acceptProposal"}),
            ("createAgreement", {"getAgreement", "reportBreach"}),
            ("reportBreach", {"getAgreement", "reportBreach"}),
            ("createSwap", {"getSwap"}),
            ("createAttempt", set()),
            ("createStatement", set()),
            ("correctEvent", set()),
            ("retractEvent", set()),
        ],
    )
    def test_a_write_links_to_its_resource_and_its_event(self, write, reads):
        links = {link["operationId"] for link in self._links(write, "201").values()}
        assert links == reads | {"getEvent", "correctEvent", "retractEvent"}

    def test_reads_link_to_the_writes_on_what_they_show(self):
        assert {link["operationId"] for link in self._links("getProposal", "200").values()} == {
            "refuseProposal",
            "acceptProposal",
            "getEvent",
            "correctEvent",
            "retractEvent",
        }
        assert set(self._links("getAgreement", "200")) >= {"reportBreach", "correctEvent"}
        assert set(self._links("getEvent", "200")) == {"correctEvent", "retractEvent"}
        assert self._links("createRelease", "201") == {
            "getRelease": {
                "operationId": "getRelease",
                "parameters": {"name": "$response.body#/name"},
            }
        }


class TestDocumentedValues:
    SPEC = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))

    def test_the_vocabularies_are_the_domain_s(self):
        schemas = self.SPEC["components"]["schemas"]
        assert schemas["Party"]["enum"] == sorted(PARTIES)
        assert schemas["Category"]["enum"] == [c.value for c in Category]
        assert schemas["EventType"]["enum"] == sorted(EVENT_TYPES)

    def test_the_live_stream_is_documented_one_event_at_a_time(self):
        content = self.SPEC["paths"]["/v1/events/live"]["get"]["responses"]["200"]["content"]
        event = content["text/event-stream"]["schema"]
        assert event["type"] == "object"
        assert event["required"] == ["data", "event", "id"]
        assert set(event["properties"]) == {"data", "event", "id", "retry"}

    def test_resource_views_show_the_payload_as_stored(self):
        schemas = self.SPEC["components"]["schemas"]
        refusal = schemas["RefusalItem"]["properties"]["data"]["$ref"].rsplit("/", 1)[1]
        assert refusal == "RefusalData"
        assert "proposal_id" in schemas["RefusalData"]["required"]
        assert "agreement_id" in schemas["BreachData"]["required"]
        assert "alternative_figures" in schemas["SideData"]["required"]
