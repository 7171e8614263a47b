/**
 * A thin typed client of the POW Exchange Log API.
 *
 * Every path, parameter, body and answer is typed from openapi.yaml (`schema.d.ts`, generated
 * by openapi-typescript: `npm run generate`); requests go through openapi-fetch. This module
 * adds only the bearer token, a way to turn a problem document into an exception, and a reader
 * of the live feed (Server-Sent Events).
 */
import createClient, { type Client } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";

type Schemas = components["schemas"];
/** A stored event, as every write answers it and the log lists it. */
export type Envelope = Schemas["Envelope"];
/** An RFC 9457 problem document: every 4xx and 5xx. */
export type Problem = Schemas["Problem"];
export type EventType = Schemas["EventType"];
export type ExchangeLogClient = Client<paths>;

export interface ClientOptions {
  /** Where the service runs, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  /** A token from `exchange-log tokens create NAME --scope write` (reads need none). */
  token?: string;
  /** A fetch of your own (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

/** A client whose every call is typed by the OpenAPI document. */
export function createExchangeLogClient(options: ClientOptions): ExchangeLogClient {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) {
    headers.Authorization = `Bearer ${options.token}`;
  }
  return createClient<paths>({ baseUrl: options.baseUrl, headers, fetch: options.fetch });
}

/** Thrown by `ok` for an answer that is a problem document. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = "ProblemError";
    this.problem = problem;
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or a `ProblemError` (its `problem` names the fields at fault). */
export function ok<T>(answer: Answer<T>): T {
  if (answer.error !== undefined || answer.data === undefined) {
    const problem = answer.error as Problem | undefined;
    if (problem !== undefined && typeof problem === "object" && "status" in problem) {
      throw new ProblemError(problem);
    }
    throw new Error(`unexpected answer ${answer.response.status} ${answer.response.statusText}`);
  }
  return answer.data;
}

/** One event of the live feed: its type, its position, and the stored envelope. */
export interface LiveEvent {
  event: EventType;
  position: number;
  envelope: Envelope;
}

type LiveEventFrame =
  paths["/v1/events/live"]["get"]["responses"][200]["content"]["text/event-stream"];

export interface LiveOptions {
  /** Start after this position (a reconnecting reader passes the last one it saw). */
  after?: number;
  /** Stop reading (the feed itself ends after the server's LIVE_MAX_SECONDS). */
  signal?: AbortSignal;
}

/** Follow the log live: every event appended after `after`, as it is committed. */
export async function* liveEvents(
  client: ExchangeLogClient,
  options: LiveOptions = {},
): AsyncGenerator<LiveEvent> {
  const answer = await client.GET("/v1/events/live", {
    params: { query: { after: options.after } },
    parseAs: "stream",
    signal: options.signal,
  });
  const body = answer.response.body;
  if (!answer.response.ok || body === null) {
    throw new Error(`live feed answered ${answer.response.status}`);
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const frame = parseFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (frame !== undefined) {
          yield {
            event: frame.event,
            position: Number(frame.id),
            envelope: JSON.parse(frame.data) as Envelope,
          };
        }
        end = buffer.indexOf("\n\n");
      }
    }
  } catch (error) {
    if (options.signal?.aborted) return; // the reader asked to stop
    throw error;
  } finally {
    // A reader that stops early (break, abort) closes the connection.
    await reader.cancel().catch(() => undefined);
  }
}

/** One SSE message as its fields; comments (heartbeats) and `retry:` alone are none. */
function parseFrame(text: string): LiveEventFrame | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ""));
  }
  const data = fields.get("data");
  if (data === undefined) return undefined;
  return {
    data,
    event: fields.get("event") as EventType,
    id: fields.get("id") ?? "",
  };
}
