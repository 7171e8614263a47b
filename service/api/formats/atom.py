"""The timeline as an RFC 4287 Atom feed (built with xml.etree, which escapes every text).

Each live fact is one entry: ``id`` the fact's event id as a ``urn:uuid``, ``title`` its
headline, ``published`` when the fact was recorded and ``updated`` when it or its latest
correction was, so a feed reader shows a corrected fact as an updated entry.
"""

from __future__ import annotations

import html
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from ...projections.facts import Fact
from ...projections.headlines import detail_text, headline
from ...readmodel.fact_queries import FeedEntry
from .urls import TIMELINE_PATH, event_href

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "pow-exchange-log:timeline"))
FEED_TITLE = "POW Exchange Log: timeline"
AUTHOR = "POW Exchange Log"
CATEGORY_SCHEME = "https://pow-exchange-log.example/event-types"
EPOCH = "1970-01-01T00:00:00Z"  # the feed's updated when the log is empty

# Characters XML 1.0 does not allow at all (escaping cannot help): the C0 controls but tab,
# line feed and carriage return, surrogates, U+FFFE and U+FFFF. Writes refuse them now, but a
# log may hold them from before (or from a restore), so the feed replaces each with U+FFFD.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"

ET.register_namespace("", ATOM)


def xml_text(text: str) -> str:
    """``text`` with every character XML cannot carry replaced by U+FFFD."""
    return XML_ILLEGAL.sub(REPLACEMENT, text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    clean = {name: xml_text(value) for name, value in attrs.items()}
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", clean)
    if text is not None:
        element.text = xml_text(text)
    return element


def describe(value: Any) -> str:
    """A compact human rendering of a payload value (lists of objects included)."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {describe(v)}" for k, v in value.items() if v not in (None, []))
    if isinstance(value, list | tuple):
        return "; ".join(describe(v) for v in value)
    return str(value)


def content_html(fact: Fact) -> str:
    """The fact's values and its sources (as links), as an HTML fragment."""
    rows = "".join(
        f"<li><b>{html.escape(str(k))}</b>: {html.escape(describe(v))}</li>"
        for k, v in fact.data.items()
        if v not in (None, [], "")
    )
    links = "".join(_source_item(s) for s in fact.sources)
    when = html.escape(f"{fact.occurred_on.isoformat()} ({fact.date_precision})")
    return f"<p>Occurred on {when}</p><ul>{rows}</ul><p>Sources:</p><ul>{links}</ul>"


def _source_item(source: Mapping[str, Any]) -> str:
    url = str(source.get("url", ""))
    label = " — ".join(str(source[k]) for k in ("publisher", "title") if source.get(k)) or url
    quote = f" <q>{html.escape(str(source['quote']))}</q>" if source.get("quote") else ""
    if not url.lower().startswith(("http://", "https://")):  # never a javascript: link
        return f"<li>{html.escape(label)}{quote}</li>"
    return f'<li><a href="{html.escape(url)}">{html.escape(label)}</a>{quote}</li>'


def entry_element(parent: ET.Element, item: FeedEntry, base_url: str) -> None:
    fact = item.fact
    entry = _sub(parent, "entry")
    _sub(entry, "id", f"urn:uuid:{fact.event_id}")
    _sub(entry, "title", headline(fact), type="text")
    _sub(entry, "updated", item.updated)
    _sub(entry, "published", item.published)
    _sub(
        entry,
        "link",
        rel="alternate",
        type="application/json",
        href=base_url + event_href(fact.event_id),
    )
    _sub(entry, "category", term=fact.type, scheme=CATEGORY_SCHEME)
    summary = detail_text(fact)
    if summary:
        _sub(entry, "summary", summary, type="text")
    _sub(entry, "content", content_html(fact), type="html")


def feed_document(
    entries: Sequence[FeedEntry], *, updated: str | None, self_url: str, base_url: str
) -> bytes:
    """The whole feed as UTF-8 XML bytes. ``base_url`` has no trailing slash."""
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", FEED_ID)
    _sub(feed, "title", FEED_TITLE, type="text")
    _sub(
        feed,
        "subtitle",
        "Russia-Ukraine prisoner-of-war exchanges, newest change first",
        type="text",
    )
    _sub(feed, "updated", updated or EPOCH)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="application/json", href=base_url + TIMELINE_PATH)
    author = _sub(feed, "author")
    _sub(author, "name", AUTHOR)
    _sub(feed, "generator", AUTHOR)
    for item in entries:
        entry_element(feed, item, base_url)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
