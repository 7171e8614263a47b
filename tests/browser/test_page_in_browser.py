"""The page, the embed and the SVG chart in headless Chromium, on the real history."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import httpx
import pytest

from .conftest import artifacts_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The shipped history, read off its files (tests/integration/test_history_import.py).
GAPS = 72
LONGEST = ("2023-08-07", "2024-01-03", "149")
IN_GAPS = ("proposal.made", "proposal.refused", "exchange.failed", "agreement.breached")
SERIOUS = ("serious", "critical")


COUNTS = ("proposals", "refusals", "failed_attempts", "breaches")


def api(site, path: str) -> dict:
    return httpx.get(site.url(path)).json()


def timeline_query(gap: dict) -> str:
    """The facts a gap counts: after its first swap, on or before its second."""
    after = date.fromisoformat(gap["from_swap"]) + timedelta(days=1)
    types = "".join(f"&type={t}" for t in IN_GAPS)
    return f"/v1/timeline?from={after}&to={gap['to_swap']}{types}"


def open_page(page, site, path: str = "/") -> None:
    response = page.goto(site.url(path))
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("load")


def panel_text(page) -> str:
    panel = page.locator("#gap-panel")
    panel.wait_for(state="visible")
    return " ".join(panel.inner_text().split())


class TestThePage:
    def test_it_loads_with_no_console_error_and_no_csp_violation(self, page, site):
        open_page(page, site)
        page.locator(".gap-mark").first.hover()  # the script runs and shows a gap
        assert page.locator("#gap-panel").is_visible()
        assert page.watch.problems(page) == []

    def test_the_csp_watch_does_see_a_violation_when_there_is_one(self, page, site):
        open_page(page, site)
        page.evaluate(
            "() => { const s = document.createElement('style');"
            " s.textContent = 'body { color: red }'; document.head.append(s); }"
        )
        page.wait_for_function("window.__cspViolations.length > 0")
        assert page.watch.problems(page)[-1].startswith("CSP violation: style-src")

    def test_the_real_history_has_72_gap_marks_and_the_longest_says_149_days(self, page, site):
        open_page(page, site)
        assert page.locator(".gap-mark").count() == GAPS
        longest = page.locator(".gap-mark.longest")
        assert longest.count() == 1
        found = tuple(longest.get_attribute(a) for a in ("data-from", "data-to", "data-days"))
        assert found == LONGEST
        assert page.locator(".longest-label").text_content() == "149 days"
        figure = " ".join(page.locator(".figure").nth(2).inner_text().split())
        assert figure == "Longest gap 149 days 7 Aug 2023 → 3 Jan 2024"
        assert page.locator("#gaps-table tbody tr").count() == GAPS + 1  # and the open gap
        assert page.watch.problems(page) == []

    def test_keyboard_focus_on_a_mark_shows_its_details(self, page, site):
        open_page(page, site)
        assert page.locator("#gap-panel").is_hidden()
        page.locator(".skip-chart").focus()
        page.keyboard.press("Tab")  # past the link: the first mark
        focused = page.evaluate("document.activeElement.getAttribute('data-from')")
        assert focused == "2022-03-01"
        assert panel_text(page).startswith("1 Mar 2022 → 24 Mar 2022 · 23 days without a swap")
        page.keyboard.press("ArrowRight")
        assert panel_text(page).startswith("24 Mar 2022 → 1 Apr 2022 · 8 days without a swap")
        page.locator(".gap-mark.longest").focus()
        assert panel_text(page) == (
            "7 Aug 2023 → 3 Jan 2024 · 149 days without a swap Nothing recorded inside this gap:"
            " no proposal, refusal, failed attempt or breach claim."
        )
        # A gap with something inside: its details are the facts the API lists for it.
        gap = next(g for g in api(site, "/v1/metrics/gaps")["gaps"] if g["proposals"])
        inside = api(site, timeline_query(gap))["entries"]
        page.locator(f'.gap-mark[data-from="{gap["from_swap"]}"]').first.focus()
        text = panel_text(page)
        assert f"· {gap['days']} days without a swap" in text
        assert [e["headline"] in text for e in inside] == [True] * len(inside)
        assert len(inside) == sum(gap[k] for k in COUNTS) > 0
        link = page.locator("#gap-panel a")
        assert link.get_attribute("href").startswith("https://")
        page.keyboard.press("Escape")
        assert page.locator("#gap-panel").is_hidden()
        assert page.watch.problems(page) == []

    def test_hovering_a_mark_shows_the_claims_inside_its_gap(self, page, site):
        open_page(page, site)
        page.locator('.gap-mark[data-from="2025-05-25"]').hover()
        text = panel_text(page)
        assert text.startswith("25 May 2025 → 9 Jun 2025 · 15 days without a swap")
        assert "claim: alleged by RU against UA" in text
        assert "claim: alleged by UA against RU" in text

    def test_a_filter_narrows_the_timeline(self, page, site):
        open_page(page, site)
        total = page.locator("li.fact").count()
        page.get_by_role("checkbox", name="Breach claim").check()
        page.get_by_role("button", name="Apply").click()
        page.wait_for_load_state("load")
        assert "type=agreement.breached" in page.url
        facts = page.locator("li.fact")
        breaches = len(api(site, "/v1/timeline?type=agreement.breached")["entries"])
        assert facts.count() == breaches < total
        types = {facts.nth(i).get_attribute("data-type") for i in range(breaches)}
        assert types == {"agreement.breached"}
        assert page.locator(".gap-mark").count() == GAPS  # types narrow the timeline only
        page.fill("#f-from", "2025-01-01")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_load_state("load")
        since = api(site, "/v1/timeline?type=agreement.breached&from=2025-01-01")["entries"]
        assert page.locator("li.fact").count() == len(since) < breaches
        gaps = httpx.get(site.url("/v1/metrics/gaps?from=2025-01-01")).json()["gaps"]
        assert page.locator(".gap-mark").count() == len(gaps)
        assert page.watch.problems(page) == []

    def test_as_of_shows_the_page_as_it_was(self, page, site):
        swap = httpx.get(site.url("/v1/swaps/2024-01-03")).json()
        at = swap["position"]
        then = httpx.get(site.url(f"/v1/metrics/gaps?as_of={at}")).json()
        open_page(page, site, f"/?as_of={at}")
        assert page.locator(".gap-mark").count() == then["summary"]["gaps"] < GAPS
        current = page.locator(".current-gap")
        assert current.get_attribute("data-from") == "2024-01-03"
        figure = " ".join(page.locator(".figure-current").inner_text().split())
        days = then["summary"]["current_gap_days"]
        assert figure == f"Current gap {days:,} days since the last swap on 3 Jan 2024"
        last_dates = page.locator("li.fact time").last.get_attribute("datetime")
        assert last_dates <= "2024-01-03"
        assert page.locator(".as-of").is_visible()
        assert page.watch.problems(page) == []

    def test_it_works_without_javascript(self, chromium, site):
        context = chromium.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(site.url("/"))
        assert page.locator(".gap-mark").count() == GAPS
        page.locator(".gap-mark.longest").click()  # a link to its row of the table
        assert page.url.endswith("#gap-2023-08-07-2024-01-03")
        row = page.locator("#gap-2023-08-07-2024-01-03 td").nth(1)
        assert row.inner_text() == "149"
        context.close()

    def test_it_fits_a_phone_screen_in_dark_mode(self, chromium, site):
        context = chromium.new_context(
            viewport={"width": 390, "height": 844}, color_scheme="dark", is_mobile=True
        )
        page = context.new_page()
        page.goto(site.url("/"))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(20, 20, 22)"
        page.screenshot(path=artifacts_dir() / "page-phone-dark.png")
        context.close()

    def test_a_screenshot_is_written_and_is_not_blank(self, page, site):
        from PIL import Image

        open_page(page, site)
        path = artifacts_dir() / "page.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=path)
        with Image.open(path) as image:
            assert image.size == (1280, 900)
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        # A blank page has one colour; text, figures and the chart give hundreds.
        assert len(colours) > 50
        assert max(count for count, _ in colours) < 0.95 * 1280 * 900


class TestAccessibility:
    @pytest.mark.parametrize("path", ["/", "/embed/gaps", "/?type=nope"])
    def test_axe_reports_no_serious_or_critical_violation(self, chromium, site, axe_script, path):
        # Only here is the CSP bypassed: axe is injected as a script of the test's own.
        context = chromium.new_context(bypass_csp=True)
        page = context.new_page()
        page.goto(site.url(path))
        if page.locator(".gap-mark").count():
            page.locator(".gap-mark.longest").focus()  # with the details panel open
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        context.close()
        serious = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in SERIOUS
        ]
        assert serious == [], json.dumps(serious, indent=2)


class TestEmbed:
    def frame(self, chromium, newsroom, site, host: str, path: str):
        context = chromium.new_context()
        page = context.new_page()
        page.goto(f"{newsroom.origin(host)}/article?src={site.url(path)}")
        page.wait_for_load_state("load")
        (frame,) = [f for f in page.frames if f is not page.main_frame]
        return context, frame

    def test_the_configured_origin_may_frame_the_embed(self, chromium, newsroom, site):
        context, frame = self.frame(chromium, newsroom, site, "127.0.0.1", "/embed/gaps")
        assert frame.url == site.url("/embed/gaps")
        assert frame.locator(".gap-mark").count() == GAPS
        assert "since the last prisoner exchange" in frame.locator("h1").inner_text()
        context.close()

    @pytest.mark.parametrize(
        ("host", "path"),
        [("localhost", "/embed/gaps"), ("127.0.0.1", "/"), ("127.0.0.1", "/v1/metrics/gaps")],
        ids=["other-origin", "page", "api"],
    )
    def test_anything_else_may_not_be_framed(self, chromium, newsroom, site, host, path):
        context, frame = self.frame(chromium, newsroom, site, host, path)
        assert frame.url != site.url(path)  # Chromium's error page instead
        assert frame.locator(".gap-mark").count() == 0
        context.close()


class TestSvg:
    def test_the_svg_parses_as_xml_with_one_mark_per_gap(self, site):
        r = httpx.get(site.url("/v1/metrics/gaps.svg"))
        assert r.headers["content-type"] == "image/svg+xml; charset=utf-8"
        root = ET.fromstring(r.content)
        marks = [e for e in root.iter() if "gap-mark" in (e.get("class") or "").split()]
        assert len(marks) == GAPS
        longest = [m for m in marks if "longest" in m.get("class")]
        assert [(m.get("data-from"), m.get("data-to"), m.get("data-days")) for m in longest] == [
            LONGEST
        ]

    def test_the_svg_renders_on_its_own_under_its_policy(self, page, site):
        page.goto(site.url("/v1/metrics/gaps.svg"))
        assert page.locator("svg .gap-mark").count() == GAPS
        assert page.watch.problems(page) == []
