"""A corrected fact cites its corrections' sources too, in reads and in migrated stores."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from service.readmodel.check import differing_projections
from service.readmodel.tables import fact_versions
from service.store.engine import append_transaction
from service.store.migrate import alembic_config

from ..builders import SOURCE, correction_body, post, swap_body

ARTICLE = {
    "url": "https://www.pravda.com.ua/eng/news/2026/02/05/8019588",
    "publisher": "Ukrainska Pravda",
    "published_on": "2026-02-05",
}


def _correct_with_the_article(client, auth) -> dict:
    swap = post(client, auth, "/v1/swaps", swap_body(id="2026-02-05"))
    changes = {"notes": "Five of the 157 were exchanged under a medical exchange."}
    body = correction_body(changes, sources=[dict(SOURCE), ARTICLE])
    post(client, auth, f"/v1/events/{swap['id']}/corrections", body)
    return swap


class TestCorrectionSources:
    def test_the_swap_cites_its_own_sources_then_the_corrections_new_ones(self, client, auth):
        _correct_with_the_article(client, auth)
        view = client.get("/v1/swaps/2026-02-05").get_json()
        assert view["sources"] == [SOURCE, ARTICLE]
        assert view["corrected"] is True
        entry = client.get("/v1/timeline").get_json()["entries"][0]
        assert entry["sources"] == [SOURCE, ARTICLE]

    def test_the_swap_as_of_before_the_correction_cites_only_its_own(self, client, auth):
        swap = _correct_with_the_article(client, auth)
        view = client.get(f"/v1/swaps/2026-02-05?as_of={swap['position']}").get_json()
        assert view["sources"] == [SOURCE]

    def test_migrating_versions_written_without_them_adds_them_and_verify_agrees(
        self, client, auth, engine
    ):
        swap = _correct_with_the_article(client, auth)
        # What the projection hook wrote before revision 0005: only the event's own sources.
        with engine.begin() as conn:
            conn.execute(
                fact_versions.update()
                .where(fact_versions.c.event_id == swap["id"])
                .values(sources=[SOURCE])
            )
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == [
                "fact_versions (timeline, resources, corrections)"
            ]
        url = engine.url.render_as_string(hide_password=False)
        command.downgrade(alembic_config(url), "0004")
        command.upgrade(alembic_config(url), "head")
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []
        query = sa.select(fact_versions.c.sources).order_by(fact_versions.c.valid_from)
        with engine.connect() as conn:
            assert conn.execute(query).scalars().all() == [[SOURCE], [SOURCE, ARTICLE]]
