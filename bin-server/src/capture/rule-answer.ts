import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context.js';
import { needsEvent } from '../rules/match.js';
import { planAnswer, type RuleAction, type RulePlan } from '../rules/plan.js';
import { eventOf } from '../rules/request.js';
import { contentTypeOf } from '../store/columns.js';
import type { Bin } from '../store/types.js';
import { MAX_RESPONSE_BODY_BYTES } from '../responders/limits.js';
import { recognize } from './recognize.js';
import { newRequestId } from './request-id.js';
import { customAnswer, sendCustom, type Answer } from './respond.js';
import type { Arrival } from './store-capture.js';
import type { CaptureTarget } from './target.js';

/**
 * Bounds of the slow faults, so held sockets never pile up: a `hang` is cut (the socket destroyed)
 * after this long if the sender has not given up, and a `trickle` sends what is left at once.
 */
const MAX_HOLD_MS = 120_000;

/** A plan for a request and the id it is stored under (a template may have rendered it). */
export interface PlannedAnswer {
  id: string;
  plan: RulePlan;
  /** The arrival as stored: its id, answer record and, when the rules needed it, recognition. */
  arrival: Arrival;
}

/**
 * The bin's rules applied to an arrival before it is stored: which rule answers, with its fault
 * counted and its template rendered. Undefined when the bin has no rules.
 */
async function planRules(
  context: Context,
  bin: Bin,
  target: CaptureTarget,
  arrival: Arrival,
): Promise<PlannedAnswer | undefined> {
  if (bin.rules.length === 0) return undefined;
  const id = newRequestId(arrival.receivedAt);
  // Only bins whose rules look at events recognise before storing (the store reuses it).
  const recognition = needsEvent(bin.rules)
    ? recognize(arrival.body, target.lastSegment, contentTypeOf(arrival.rawHeaders))
    : undefined;
  // Counting a match writes to the store: when it fails, nothing is stored (the caller answers 503).
  const plan = await planAnswer(
    bin,
    {
      method: arrival.method,
      path: target.path,
      query: target.query,
      rawHeaders: arrival.rawHeaders,
      body: arrival.body,
      event: recognition ? eventOf({ recognition }) : undefined,
    },
    { requestId: id, receivedAt: arrival.receivedAt, now: context.now() },
    { store: context.store, limit: MAX_RESPONSE_BODY_BYTES },
  );
  return plan && { id, plan, arrival: { ...arrival, id, answer: plan.record, recognition } };
}

/** planRules, or 'store_unavailable' (logged) when the store could not count the match. */
export async function tryPlanRules(
  context: Context,
  bin: Bin,
  target: CaptureTarget,
  arrival: Arrival,
): Promise<PlannedAnswer | undefined | 'store_unavailable'> {
  try {
    return await planRules(context, bin, target, arrival);
  } catch (error) {
    context.log(`capture: could not apply the rules of bin ${bin.id}: ${String(error)}`);
    return 'store_unavailable';
  }
}

/** Waits `ms`, or less if `signal` aborts or `socket` closes. */
export function wait(
  ms: number,
  signal: AbortSignal,
  socket?: IncomingMessage['socket'],
): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      socket?.off('close', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish);
    socket?.on('close', finish);
  });
}

type SendAction = Extract<RuleAction, { kind: 'send' }>;

function asResponse(action: SendAction) {
  return { status: action.status, headers: action.headers, body: action.body, delayMs: 0 };
}

/** Writes the body a few bytes at a time; what is left goes at once after MAX_HOLD_MS. */
async function trickle(
  res: ServerResponse,
  answer: Answer,
  bytesPerSecond: number,
  signal: AbortSignal,
): Promise<void> {
  res.writeHead(answer.status, answer.headers.flat());
  res.flushHeaders();
  // Ten writes a second at most: a chunk of rate/10 bytes (at least 1) per tick.
  const chunk = Math.max(1, Math.floor(bytesPerSecond / 10));
  const tickMs = (chunk * 1000) / bytesPerSecond;
  const started = Date.now();
  let offset = 0;
  while (offset < answer.body.length) {
    if (res.destroyed || signal.aborted) return void res.destroy();
    const late = Date.now() - started >= MAX_HOLD_MS;
    const end = late ? answer.body.length : Math.min(answer.body.length, offset + chunk);
    res.write(answer.body.subarray(offset, end));
    offset = end;
    if (offset < answer.body.length) await wait(tickMs, signal, res.socket ?? undefined);
  }
  res.end();
}

/** Answers over HTTP as the plan says; `default` is the caller's (the bin's response). */
export async function sendRuleAction(
  req: IncomingMessage,
  res: ServerResponse,
  action: Exclude<RuleAction, { kind: 'default' }>,
  requestId: string,
  signal: AbortSignal,
): Promise<void> {
  switch (action.kind) {
    case 'reset':
      // A TCP RST, not a clean close: the sender sees ECONNRESET, as from a crashed receiver.
      req.socket.resetAndDestroy();
      return;
    case 'hang':
      await wait(MAX_HOLD_MS, signal, req.socket);
      req.socket.destroy();
      return;
    case 'send':
      await wait(action.delayMs, signal, req.socket);
      if (res.destroyed) return;
      if (action.bytesPerSecond === undefined) {
        return sendCustom(res, asResponse(action), requestId);
      }
      return trickle(
        res,
        customAnswer(asResponse(action), requestId),
        action.bytesPerSecond,
        signal,
      );
  }
}

/**
 * The same, in process (no socket): a reset or a hang becomes an error once `signal` ends the
 * exchange (the sender's timeout), a trickle takes as long as it would over the network.
 */
export async function ruleAnswer(
  action: Exclude<RuleAction, { kind: 'default' }>,
  requestId: string,
  signal: AbortSignal,
): Promise<Answer> {
  switch (action.kind) {
    case 'reset':
      throw new Error('The bin closed the connection without an answer (a rule’s reset fault).');
    case 'hang':
      await wait(MAX_HOLD_MS, signal);
      throw new Error('The bin never answered (a rule’s hang fault).');
    case 'send': {
      await wait(action.delayMs, signal);
      const answer = customAnswer(asResponse(action), requestId);
      if (action.bytesPerSecond !== undefined) {
        const ms = (answer.body.length * 1000) / action.bytesPerSecond;
        await wait(Math.min(ms, MAX_HOLD_MS), signal);
      }
      return answer;
    }
  }
}
