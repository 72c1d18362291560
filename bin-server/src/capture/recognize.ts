import { getEvent, identify, parsePayload, type Candidate, type PayloadIssue } from '@umhooks/core';
import type { JsonError, Recognition } from '../store/types.js';
import { lineAndColumn, namedPosition, searchedPosition } from '../wire/json-error.js';

/** Bodies larger than this are stored but not parsed (webhook payloads are a few KB). */
const MAX_RECOGNIZED_BYTES = 1024 * 1024;
/** Candidates kept besides those tied with the best. */
const MAX_CANDIDATES = 3;
/** The best candidate is checked against its schema only if at least half its keys match. */
const MIN_CHECKED_SCORE = 0.5;
/** Bounds what one request can add to its row and to every live push. */
const MAX_LIST = 50;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/** First non-blank byte is `{` or `[`: worth a JSON.parse (cheap test before an expensive one). */
function looksLikeJson(body: Buffer): boolean {
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === OPEN_BRACE || byte === OPEN_BRACKET;
  }
  return false;
}

function capList<T>(items: T[]): T[] {
  return items.length > MAX_LIST ? items.slice(0, MAX_LIST) : items;
}

/** The top candidates (best first): the best, everything tied with it, then a few runners-up. */
function topCandidates(all: readonly Candidate[]): Candidate[] {
  const best = all[0]?.score;
  const top: Candidate[] = [];
  for (const c of all) {
    if (c.score <= 0 || (top.length >= MAX_CANDIDATES && c.score !== best)) break;
    top.push(
      c.missing.length > MAX_LIST || c.extra.length > MAX_LIST
        ? { ...c, missing: capList(c.missing), extra: capList(c.extra) }
        : c,
    );
  }
  return top;
}

/**
 * `identify` ranks events by key-set match: its answer depends only on the body's keys (in their
 * order), so it is computed once per key set. Senders post the same few shapes over and over,
 * and identify allocates ~14 KB per call (measured), most of the capture path's garbage.
 */
const byKeySet = new Map<string, Candidate[]>();
const KEY_SETS_KEPT = 512;
/** Bodies with more keys than any event are not worth a cache entry. */
const MAX_CACHED_KEYS = 200;

function candidatesFor(value: unknown): Candidate[] {
  const keys = typeof value === 'object' && value !== null ? Object.keys(value) : [];
  if (Array.isArray(value) || keys.length === 0 || keys.length > MAX_CACHED_KEYS) {
    return topCandidates(identify(value));
  }
  const signature = JSON.stringify(keys);
  let candidates = byKeySet.get(signature);
  if (candidates === undefined) {
    candidates = topCandidates(identify(value));
    if (byKeySet.size >= KEY_SETS_KEPT) byKeySet.delete(byKeySet.keys().next().value!);
    byKeySet.set(signature, candidates);
  }
  return candidates;
}

/**
 * The expected event's own candidate when it ranks below the top few: a reader of the request is
 * told how the body fits the event it was sent as (its missing keys), not only its look-alikes.
 */
function expectedCandidate(value: unknown, expected: string): Candidate[] {
  try {
    const found = identify(value).find((c) => c.event === expected);
    return found ? topCandidates([found]) : [];
  } catch {
    return [];
  }
}

function issuesFor(event: string, value: unknown): PayloadIssue[] {
  try {
    return capList(parsePayload(event, value).issues);
  } catch {
    // A checker failure must never lose a captured request: store it unchecked.
    return [];
  }
}

/** `application/json`, `text/json` and `…+json` (`application/vnd.api+json`): bodies that claim JSON. */
function isJsonContentType(contentType: string): boolean {
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' || media === 'text/json' || media.endsWith('+json');
}

/**
 * Bodies up to this size are placed at capture even when V8 does not name the position (the
 * search then costs up to ~0.5 ms of CPU, measured); a larger one is placed when it is read
 * whole, so a hostile sender cannot make every capture cost tens or hundreds of ms (1 MiB: 0.5 s).
 */
const PLACED_AT_CAPTURE = 4 * 1024;

/** Where JSON.parse stopped, as a 1-based line and column, and why (without V8's position). */
function jsonErrorOf(text: string, error: unknown): JsonError {
  const message = error instanceof Error ? error.message : String(error);
  const position =
    namedPosition(text, message) ??
    (text.length <= PLACED_AT_CAPTURE ? searchedPosition(text) : undefined);
  const reason = message
    .replace(/\s*\(line \d+ column \d+\)$/, '') // Node 22+ says it too: ours, once.
    .replace(/ in JSON at position \d+$/, '')
    // V8 quotes the text or an excerpt of it: the UI shows it anyway.
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
  return position === undefined
    ? { message: reason }
    : { message: reason, ...lineAndColumn(text, position) };
}

/**
 * Which Ultimate Multisite event a body is. JSON bodies get `identify` candidates; the event named
 * by the trailing path segment (`/b/:bin/payment_received`), else the best candidate, is checked
 * with `parsePayload`. Non-JSON bodies are not recognized unless an event was expected or their
 * content type claims JSON (then `jsonError` says where the text stops being JSON).
 */
export function recognize(
  body: Buffer,
  lastSegment: string | undefined,
  contentType = '',
): Recognition | undefined {
  const expected = lastSegment !== undefined && getEvent(lastSegment) ? lastSegment : undefined;
  const claimsJson = body.length > 0 && isJsonContentType(contentType);
  let value: unknown;
  let parsed = false;
  let jsonError: JsonError | undefined;
  if (body.length <= MAX_RECOGNIZED_BYTES && (claimsJson || looksLikeJson(body))) {
    const text = body.toString('utf8');
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch (error) {
      if (claimsJson) jsonError = jsonErrorOf(text, error);
    }
  }
  if (!parsed) {
    if (expected === undefined) {
      return (
        jsonError && { expected, candidates: [], checkedEvent: undefined, issues: [], jsonError }
      );
    }
    const why =
      body.length > MAX_RECOGNIZED_BYTES
        ? `The body is larger than ${MAX_RECOGNIZED_BYTES} bytes and was not checked`
        : jsonError
          ? `The body is not valid JSON (${jsonError.line === undefined ? '' : `line ${jsonError.line}, column ${jsonError.column}: `}${jsonError.message})`
          : 'The body is not JSON';
    return {
      expected,
      candidates: [],
      checkedEvent: expected,
      issues: [
        {
          path: '',
          code: 'not_object',
          severity: 'error',
          message: `${why}: ${expected} sends a JSON object.`,
        },
      ],
      ...(jsonError && { jsonError }),
    };
  }
  let candidates: Candidate[];
  try {
    candidates = candidatesFor(value);
  } catch {
    candidates = [];
  }
  if (expected !== undefined && !candidates.some((c) => c.event === expected)) {
    candidates = [...candidates, ...expectedCandidate(value, expected)];
  }
  const best = candidates[0];
  const checkedEvent =
    expected ?? (best !== undefined && best.score >= MIN_CHECKED_SCORE ? best.event : undefined);
  return {
    expected,
    candidates,
    checkedEvent,
    issues: checkedEvent === undefined ? [] : issuesFor(checkedEvent, value),
  };
}
