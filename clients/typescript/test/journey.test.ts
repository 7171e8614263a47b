/**
 * The newsroom's journey through the typed client, against a running service with an empty log
 * (tests/contract/test_typescript_client.py starts gunicorn and sets the variables):
 *   EXCHANGE_LOG_URL    the service
 *   EXCHANGE_LOG_TOKEN  a write token
 *   EXCHANGE_LOG_ADMIN  an admin token (for the release)
 */
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  createExchangeLogClient,
  liveEvents,
  ok,
  ProblemError,
  type Envelope,
  type LiveEvent,
} from "../src/index.js";

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `set ${name}`);
  return value;
}

const baseUrl = env("EXCHANGE_LOG_URL");
const writer = createExchangeLogClient({ baseUrl, token: env("EXCHANGE_LOG_TOKEN") });
const editor = createExchangeLogClient({ baseUrl, token: env("EXCHANGE_LOG_ADMIN") });
const reader = createExchangeLogClient({ baseUrl });
const sources = [{ url: "https://news.example/2026/06/05/swap", publisher: "Example News" }];

test("a newsroom records, corrects, reads and cites the figures", async () => {
  // 1. The Istanbul arrangements and the swap of 1 March, then a refused proposal and a breach.
  ok(
    await writer.POST("/v1/agreements", {
      body: {
        id: "istanbul",
        occurred_on: "2025-06-02",
        name: "Istanbul arrangements",
        parties: ["UA", "RU"],
        terms: [{ category: "severely_wounded", basis: "all_for_all", open_ended: true }],
        sources,
      },
    }),
  );
  ok(
    await writer.POST("/v1/swaps", {
      body: {
        id: "2026-03-01",
        occurred_on: "2026-03-01",
        sides: [
          { party: "UA", received: 157 },
          { party: "RU", received: 157 },
        ],
        sources,
      },
    }),
  );
  ok(
    await writer.POST("/v1/proposals", {
      body: {
        id: "ua-all-for-all",
        occurred_on: "2026-05-20",
        proposed_by: "UA",
        addressed_to: "RU",
        format: "all_for_all",
        categories: ["military", "civilians"],
        summary: "Ukraine offers to exchange all prisoners for all.",
        sources,
      },
    }),
  );
  const refusal = ok(
    await writer.POST("/v1/proposals/{proposal_id}/refusals", {
      params: { path: { proposal_id: "ua-all-for-all" } },
      body: {
        occurred_on: "2026-05-22",
        refused_by: "RU",
        reason: "Russia wants exchanges by categories.",
        demanded_categories: ["severely_wounded", "under_25"],
        sources,
      },
    }),
  );
  assert.equal(refusal.stream, "proposal/ua-all-for-all");
  ok(
    await writer.POST("/v1/agreements/{agreement_id}/breaches", {
      params: { path: { agreement_id: "istanbul" } },
      body: {
        occurred_on: "2026-05-25",
        alleged_by: "UA",
        breached_by: "RU",
        description: "No severely wounded prisoners were on the lists.",
        sources,
      },
    }),
  );

  // 2. A swap with a nationality breakdown, then the ministry's revised figure as a correction.
  const swap: Envelope = ok(
    await writer.POST("/v1/swaps", {
      body: {
        id: "2026-06-05",
        occurred_on: "2026-06-05",
        mediators: ["AE"],
        categories: ["military", "severely_wounded"],
        sides: [
          { party: "UA", received: 205 },
          { party: "RU", received: 205 },
        ],
        breakdowns: [
          {
            side: "RU",
            dimension: "nationality",
            values: [
              { label: "Russians", share: 0.8 },
              { label: "Chechens", share: 0.13 },
              { label: "other", share: 0.07 },
            ],
          },
        ],
        sources,
      },
    }),
  );
  const correction = ok(
    await writer.POST("/v1/events/{event_id}/corrections", {
      params: { path: { event_id: swap.id }, header: { "If-Match": '"1"' } },
      body: {
        occurred_on: "2026-06-06",
        reason: "The ministry revised the number of Ukrainians returned.",
        changes: {
          sides: [
            { party: "UA", received: 206 },
            { party: "RU", received: 205 },
          ],
        },
        sources,
      },
    }),
  );
  assert.equal(correction.position, 7);
  assert.equal(correction.data.target_event_id, swap.id);

  // A stale If-Match is refused with a problem document naming the versions.
  const stale = await writer.POST("/v1/events/{event_id}/retractions", {
    params: { path: { event_id: swap.id }, header: { "If-Match": '"1"' } },
    body: { occurred_on: "2026-06-07", reason: "Duplicate.", sources },
  });
  assert.throws(() => ok(stale), (error: unknown) => {
    assert.ok(error instanceof ProblemError);
    assert.equal(error.problem.status, 412);
    assert.equal(error.problem.detail, "swap/2026-06-05 is at version 2, not 1");
    return true;
  });

  // 3. The gap between the two swaps, with what happened inside it, and the summary.
  const gaps = ok(await reader.GET("/v1/metrics/gaps", { params: { query: { from: "2026-01-01" } } }));
  assert.equal(gaps.as_of_position, 7);
  assert.deepEqual(gaps.gaps, [
    {
      from_swap: "2026-03-01",
      to_swap: "2026-06-05",
      days: 96,
      proposals: 1,
      refusals: 1,
      failed_attempts: 0,
      breaches: 1,
    },
  ]);
  assert.equal(gaps.summary.current_gap_since, "2026-06-05");

  const summary = ok(await reader.GET("/v1/metrics/summary"));
  const received = new Map(summary.received.map((r) => [r.party, r.received.total]));
  assert.deepEqual(Object.fromEntries(received), { RU: 362, UA: 363 });
  const nationality = summary.breakdowns.find((b) => b.dimension === "nationality");
  assert.deepEqual(
    nationality?.values.map((v) => [v.label, v.count, v.estimated]),
    [
      ["Chechens", 27, true],
      ["Russians", 164, true],
      ["other", 14, true],
    ],
  );
  assert.deepEqual(
    summary.breaches.by_agreement.map((b) => [b.agreement_id, b.count]),
    [["istanbul", 1]],
  );

  // 4. The timeline as CSV, with the corrected figure.
  const csv = ok(
    await reader.GET("/v1/timeline", {
      params: { query: { format: "csv", from: "2026-05-01" } },
      parseAs: "text",
    }),
  );
  // Every cell is quoted (a quote inside one doubled): read them as a spreadsheet would.
  const rows = csv
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n")
    .map((row) => (row.match(/"(?:[^"]|"")*"/g) ?? []).map(unquote));
  assert.deepEqual(rows[0], [
    "occurred_on",
    "date_precision",
    "type",
    "resource_id",
    "headline",
    "parties",
    "corrected",
    "event_id",
    "position",
    "source_url",
  ]);
  assert.deepEqual(
    rows.slice(1).map((row) => row.slice(2, 4)),
    [
      ["proposal.made", "ua-all-for-all"],
      ["proposal.refused", "ua-all-for-all"],
      ["agreement.breached", "istanbul"],
      ["swap.completed", "2026-06-05"],
    ],
  );
  assert.match(rows[4]?.[4] ?? "", /UA and RU swap 206 for 205/);

  // 5. Cut a release (admin), change the log, and read the gaps exactly as published.
  const release = ok(
    await editor.POST("/v1/releases", {
      body: { name: "june-story", description: "Figures for the June exchange story" },
    }),
  );
  assert.equal(release.position, 7);
  ok(
    await writer.POST("/v1/statements", {
      body: {
        occurred_on: "2026-06-08",
        speaker: "Ombudsman",
        party: "UA",
        summary: "More exchanges are being prepared.",
        sources,
      },
    }),
  );
  const cited = ok(
    await reader.GET("/v1/metrics/gaps", { params: { query: { as_of: "release:june-story" } } }),
  );
  assert.equal(cited.as_of_position, 7);
  assert.deepEqual(cited.gaps, gaps.gaps);
  const before = ok(await reader.GET("/v1/metrics/gaps", { params: { query: { as_of: "5" } } }));
  assert.deepEqual([before.summary.swaps, before.gaps], [1, []]);

  // 6. Follow the live feed briefly: what was appended after the release.
  const seen: LiveEvent[] = [];
  for await (const event of liveEvents(reader, { after: 6 })) {
    seen.push(event);
    if (seen.length === 2) break;
  }
  assert.deepEqual(
    seen.map((e) => [e.position, e.event, e.envelope.type]),
    [
      [7, "event.corrected", "event.corrected"],
      [8, "statement.made", "statement.made"],
    ],
  );
});

/** One quoted CSV cell's text: without its quotes, a doubled quote inside it single. */
function unquote(cell: string): string {
  return cell.slice(1, -1).replaceAll('""', '"');
}
