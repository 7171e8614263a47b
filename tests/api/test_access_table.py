"""Every route in the URL map against every kind of caller, reads public and private.

The expected access of each endpoint is written down here. A route that is not in the table
fails the test, so a new route cannot slip through without someone deciding who may call it.
"""

from __future__ import annotations

import uuid

import pytest

from service.app import create_app
from service.config import Settings
from service.store import tokens

# Who may call each endpoint: "public" (anyone, always), "read" (anyone while reads are
# public; a token with scope read or higher when READS_PRIVATE is on), "write", "admin";
# "scrape" (/metrics): anyone while reads are public, like "read" when they are private.
EXPECTED_ACCESS: dict[str, str] = {
    "api-docs.openapi_json": "public",
    "openapi_yaml": "public",
    "health.healthz": "public",
    "health.readyz": "public",
    "metrics": "scrape",
    "docs.docs_redirect": "public",
    "docs.docs_page": "public",
    "docs.docs_init": "public",
    "docs.docs_css": "public",
    "docs.docs_asset": "public",
    "events.list_events": "read",
    "events.get_event": "read",
    "live.stream_events": "read",
    "proposals_read.list": "read",
    "proposals_read.get": "read",
    "agreements_read.list": "read",
    "agreements_read.get": "read",
    "swaps_read.list": "read",
    "swaps_read.get": "read",
    "timeline.get_timeline": "read",
    "feed.get_feed": "read",
    "metrics.get_gaps": "read",
    "metrics.get_summary": "read",
    "charts.get_gaps_chart": "read",
    # The HTML pages are reads too (READS_PRIVATE applies); their CSS and script are not.
    "web.page": "read",
    "web.embed_gaps": "read",
    "web.static": "public",
    "corrections.list_corrections": "read",
    "releases.list_releases": "read",
    "releases.get_release": "read",
    "releases.create_release": "admin",
    "log.get_log_head": "read",
    "proposals.create_proposal": "write",
    "proposals.refuse_proposal": "write",
    "proposals.accept_proposal": "write",
    "agreements.create_agreement": "write",
    "agreements.report_breach": "write",
    "attempts.create_attempt": "write",
    "statements.create_statement": "write",
    "swaps.create_swap": "write",
    "events.correct_event": "write",
    "events.retract_event": "write",
    "batches.create_batch": "write",
}
CALLERS = ("none", "bad", "revoked", "read", "write", "admin")
RANK = {"read": 1, "write": 2, "admin": 3}
ARGUMENTS = {"uuid": str(uuid.uuid4()), "name": "swagger-ui.css"}


def expected_outcome(access: str, caller: str, reads_private: bool, method: str) -> str:
    """ "allowed", 401 or 403 for this caller on an endpoint of this access class."""
    if access == "public" or (access == "scrape" and not reads_private):
        return "allowed"
    if access == "read" and not reads_private and caller == "none":
        return "allowed"
    if caller in ("none", "bad", "revoked"):
        return "401"
    needed = "read" if access in ("read", "scrape") else access
    return "allowed" if RANK[caller] >= RANK[needed] else "403"


def _url(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__.lower()
        values[name] = ARGUMENTS["uuid"] if "uuid" in kind else ARGUMENTS.get(name, "x-1")
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture
def callers(database_url) -> dict[str, dict[str, str]]:
    engine_app = create_app(Settings(database_url=database_url))
    engine = engine_app.extensions["engine"]
    headers: dict[str, dict[str, str]] = {"none": {}, "bad": {"Authorization": "Bearer pel_nope"}}
    for scope in ("read", "write", "admin"):
        headers[scope] = {"Authorization": f"Bearer {tokens.create_token(engine, scope, scope)}"}
    revoked = tokens.create_token(engine, "gone", "admin")
    tokens.revoke_token(engine, "gone")
    headers["revoked"] = {"Authorization": f"Bearer {revoked}"}
    engine.dispose()
    return headers


class TestEveryRouteHasDeclaredAccess:
    @pytest.mark.parametrize("reads_private", [False, True], ids=["reads-public", "reads-private"])
    def test_every_route_answers_every_caller_as_the_table_says(
        self, database_url, callers, reads_private
    ):
        app = create_app(
            Settings(database_url=database_url, reads_private=reads_private, live_max_seconds=0.2)
        )
        client = app.test_client()
        rules = list(app.url_map.iter_rules())
        missing = sorted({r.endpoint for r in rules} - set(EXPECTED_ACCESS))
        assert missing == [], f"routes without a declared access level: {missing}"
        wrong = []
        for rule in rules:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for caller in CALLERS:
                    body = {"json": {}} if method == "POST" else {}
                    response = client.open(
                        _url(rule), method=method, headers=callers[caller], **body
                    )
                    want = expected_outcome(
                        EXPECTED_ACCESS[rule.endpoint], caller, reads_private, method
                    )
                    status = response.status_code
                    got = str(status) if status in (401, 403) else "allowed"
                    if got != want or status >= 500:
                        wrong.append(f"{method} {rule.rule} as {caller}: {status}, want {want}")
        app.extensions["engine"].dispose()
        assert wrong == []

    def test_refusals_are_problem_documents_that_say_why(self, client, callers):
        r = client.post("/v1/swaps", json={}, headers=callers["revoked"])
        assert r.status_code == 401
        assert r.mimetype == "application/problem+json"
        assert r.json["detail"] == "the bearer token was revoked"
        assert r.headers["WWW-Authenticate"] == 'Bearer realm="pow-exchange-log"'
        r = client.post("/v1/swaps", json={}, headers=callers["read"])
        assert r.status_code == 403
        assert r.json["detail"] == "this action needs a token with scope 'write'"

    def test_a_bad_token_on_a_public_read_is_refused_rather_than_ignored(self, client):
        r = client.get("/v1/log/head", headers={"Authorization": "Bearer pel_nope"})
        assert r.status_code == 401
        assert r.json["detail"] == "the bearer token is not valid"
