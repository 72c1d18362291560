import { setTimeout as sleep } from 'node:timers/promises';
import { runScenario, type ScenarioRunOptions, type ScenarioStep } from '@umhooks/core';
import type { Context } from '../context.js';
import { fireEvent } from './fire.js';

interface FiredStep extends ScenarioStep {
  /** Delivery ids, one per active webhook of the event (the outbox's, like any fire). */
  deliveries: string[];
}

export interface ScenarioFired {
  scenario: string;
  seed: number;
  start: string;
  steps: FiredStep[];
}

/**
 * Plays a scenario (core: the same seed, start and overrides give the same payloads) and fires
 * each event in order to the sandbox's webhooks, like `POST /api/sandbox/fire`: through the
 * outbox, the dispatcher, the delivery log and live viewers. `delayMs` waits between events.
 * Core refuses overrides that break a payload (unless forced), so every step is fired as played.
 */
export async function fireScenario(
  context: Context,
  name: string,
  options: ScenarioRunOptions & { delayMs?: number },
): Promise<ScenarioFired> {
  const run = runScenario(name, options);
  const steps: FiredStep[] = [];
  for (const [index, step] of run.steps.entries()) {
    if (index > 0 && options.delayMs) await sleep(options.delayMs);
    const fired = await fireEvent(context, step.event, step.payload, true);
    steps.push({ ...step, deliveries: fired.ok ? fired.deliveries : [] });
  }
  return { scenario: run.scenario, seed: run.seed, start: run.start, steps };
}
