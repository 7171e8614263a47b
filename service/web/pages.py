"""GET / and GET /embed/gaps: the current gap, the gaps chart and the timeline, for people.

Server-rendered HTML (Jinja2) from the same projections as the JSON API, at the same
``as_of``, with the same ETag/304 and ``X-Log-Position``. The chart's details, the table and
the timeline are all in the HTML; the page's script only shows a gap's details beside the
chart on hover and focus.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy.engine import Connection

from ..api.projection_http import projected
from ..projections.facts import Fact
from ..projections.headlines import headline
from ..readmodel import reports
from ..readmodel.as_of import AsOf
from ..readmodel.fact_queries import TimelineFilter
from ..readmodel.position import stored_position
from ..store.event_reads import recorded_at
from ..store.releases import list_releases
from . import present, reads
from .chart import CURRENT_KEY, ChartLinks, gaps_svg, shows_current
from .forms import PageArgs, parse_args

blp = Blueprint(
    "web", __name__, template_folder="templates", static_folder="static", static_url_path="/static"
)
ASSET_VERSION = "web_asset_version"  # app.config key: a digest of templates and static files
CSV_LIMIT = "10000"


@dataclass(frozen=True, slots=True)
class GapRow:
    """A gap (or the open current gap) with the facts inside it, for table and details."""

    key: str
    first: date
    second: date | None  # None: the current gap, still open
    days: int
    counts: dict[str, Any]
    facts: list[Fact]
    longest: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    """One fact of the timeline as the page shows it."""

    fact: Fact
    headline: str
    claims: list[str]
    sources: list[present.SourceLink]
    corrections: list[reads.Correction]


def asset_url(name: str) -> str:
    """A static file's URL, changed whenever the files change (so caches never go stale)."""
    return url_for("web.static", filename=name, v=current_app.config[ASSET_VERSION])


@blp.get("/")
def page() -> Any:
    """The page: headline figures, the gaps chart and table, the timeline, downloads."""
    args = parse_args(request.args)

    def build(conn: Connection, at: AsOf) -> Response:
        context = _chart_context(conn, at, args, embed=False)
        context.update(_timeline_context(conn, at, args))
        context["summary"] = summary = reports.summary_report(conn, at)
        context["parties"] = _parties(summary, args.parties)
        context["releases"] = list_releases(conn)
        context["head"] = stored_position(conn)
        context["recorded_at"] = recorded_at(conn, at.position)
        context["downloads"] = _downloads(args)
        return _html(render_template("web/page.html", **context))

    return projected(build, representation=f"html-{current_app.config[ASSET_VERSION]}")


@blp.get("/embed/gaps")
def embed_gaps() -> Any:
    """The chart and the current gap alone, for an iframe in an article."""
    args = parse_args(request.args, embed=True)

    def build(conn: Connection, at: AsOf) -> Response:
        context = _chart_context(conn, at, args, embed=True)
        context["page_url"] = url_for("web.page") + args.query()
        return _html(render_template("web/embed.html", **context))

    return projected(build, representation=f"embed-{current_app.config[ASSET_VERSION]}")


def _html(text: str) -> Response:
    return Response(text, mimetype="text/html")


def _chart_context(conn: Connection, at: AsOf, args: PageArgs, *, embed: bool) -> dict[str, Any]:
    """The whole-log figures, the chart of the chosen range, and each gap's contents."""
    whole = reports.gap_report(conn, at)
    ranged = args.since or args.until
    report = reports.gap_report(conn, at, args.since, args.until) if ranged else whole
    since_text = whole["summary"]["current_gap_since"]
    last_swap = date.fromisoformat(since_text) if since_text else None
    show_current = shows_current(whole, args.since, args.until)
    gaps = report["gaps"]
    keys = present.gap_keys(gaps)
    first = date.fromisoformat(gaps[0]["from_swap"]) if gaps else last_swap
    facts = reads.gap_facts(conn, at, first) if first else []
    longest = report["summary"]["longest"] or {}
    rows = [
        GapRow(
            key,
            date.fromisoformat(g["from_swap"]),
            date.fromisoformat(g["to_swap"]),
            g["days"],
            g,
            inside,
            (g["from_swap"], g["to_swap"]) == (longest.get("from_swap"), longest.get("to_swap")),
        )
        for key, g, inside in zip(keys, gaps, present.facts_in_gaps(gaps, facts), strict=True)
    ]
    current = None
    if show_current and last_swap is not None:
        open_facts = present.facts_since(last_swap, facts)
        counts = {
            name: sum(1 for f in open_facts if f.type == t)
            for name, t in zip(present.COUNT_NAMES, present.IN_GAPS, strict=True)
        }
        days = whole["summary"]["current_gap_days"]
        current = GapRow(CURRENT_KEY, last_swap, None, days, counts, open_facts)
    if embed:
        page = url_for("web.page") + args.query()
        links = ChartLinks(keys=keys, href=lambda key: f"{page}#{key}", target="_blank")
    else:
        links = ChartLinks(keys=keys, href=lambda key: f"#{key}")
    chart = gaps_svg(report, show_current=show_current, links=links)
    return {
        "args": args,
        "at": at,
        "whole": whole["summary"],
        "report": report["summary"],
        "rows": rows,
        "current": current,
        # Built by xml.etree: every text in it is escaped already.
        "chart": Markup(chart),
        "first_swap": _first_swap(whole),
        "p": present,
        "p_date": date.fromisoformat,
        "headline_of": headline,
        "asset": asset_url,
        "embed": embed,
    }


def _first_swap(report: dict[str, Any]) -> date | None:
    if report["gaps"]:
        return date.fromisoformat(report["gaps"][0]["from_swap"])
    since = report["summary"]["current_gap_since"]
    return date.fromisoformat(since) if since else None


def _parties(summary: dict[str, Any], chosen: tuple[str, ...]) -> list[str]:
    """The parties a reader can filter by: every party the summary names, and the chosen."""
    found = set(chosen)
    found.update(r["party"] for r in summary["received"])
    found.update(r["party"] for r in summary["swaps"]["mediators"])
    for group in ("proposals", "refusals", "acceptances"):
        found.update(r["party"] for r in summary[group]["by_party"])
    found.update(r["party"] for r in summary["breaches"]["by_alleging_party"])
    return sorted(found)


def _timeline_context(conn: Connection, at: AsOf, args: PageArgs) -> dict[str, Any]:
    flt = TimelineFilter(args.since, args.until, args.types, args.parties)
    facts, more = reads.timeline_facts(conn, at, flt, args.cursor())
    corrections = reads.corrections_of(conn, at.position, facts)
    entries = [
        Entry(
            f,
            headline(f),
            present.claims(f),
            present.source_links(f.sources),
            corrections.get(f.event_id, []),
        )
        for f in facts
    ]
    next_url = None
    if more and facts:
        last = facts[-1]
        cursor = ("after", f"{last.occurred_on.isoformat()}.{last.position}")
        next_url = url_for("web.page") + args.query(cursor) + "#timeline"
    return {"entries": entries, "next_url": next_url, "type_labels": present.TYPE_LABELS}


def _downloads(args: PageArgs) -> list[tuple[str, str, str]]:
    """(label, URL, what it holds) for each download, with the reader's filters."""
    as_of = (("as_of", args.as_of),) if args.as_of else ()
    dates = tuple(p for p in args.pairs() if p[0] in ("from", "to", "as_of"))
    query = args.query
    return [
        (
            "CSV",
            "/v1/timeline" + query(("format", "csv"), ("limit", CSV_LIMIT)),
            "the timeline as shown, for spreadsheets",
        ),
        (
            "TimelineJS JSON",
            "/v1/timeline" + query(("format", "timelinejs"), ("limit", CSV_LIMIT)),
            "the timeline for Knight Lab TimelineJS",
        ),
        ("Atom", "/v1/feed.atom" + _qs(as_of), "the newest changes, for feed readers"),
        ("NDJSON", "/v1/events?format=ndjson", "the whole log, one stored event per line"),
        ("SVG", "/v1/metrics/gaps.svg" + _qs(dates), "the gaps chart as an image"),
        ("JSON", "/v1/metrics/gaps" + _qs(dates), "the gaps with their counts"),
    ]


def _qs(pairs: tuple[tuple[str, str], ...]) -> str:
    return "?" + urlencode(pairs) if pairs else ""
