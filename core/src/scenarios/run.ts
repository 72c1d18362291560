import { applyOverrides, type Overrides } from '../events/overrides.js';
import { getEvent } from '../events/catalog.js';
import type { PayloadIssue } from '../events/types.js';
import { isPlainObject } from '../events/values.js';
import { scenarios, type ScenarioDefinition } from './definitions.js';
import { Timeline, type ScenarioStep } from './timeline.js';
import { generateWorld } from './world.js';

export type { ScenarioDefinition, ScenarioStep };

export interface ScenarioRunOptions {
  /** 0 to 2^32-1; the same seed gives the same run, byte for byte. */
  seed: number;
  /** Start of the scenario (UTC ms, or an ISO date); drawn from the seed when absent. */
  start?: number | string;
  overrides?: Overrides;
  /** Keep overridden payloads that fail their event's schema. */
  force?: boolean;
}

export interface ScenarioRun {
  scenario: string;
  seed: number;
  /** `Y-m-d H:i:s` of the first event's clock start. */
  start: string;
  steps: ScenarioStep[];
}

export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly issues: readonly (PayloadIssue & { event?: string; step?: number })[] = [],
  ) {
    super(message);
  }
}

export const MAX_SEED = 0xffffffff;

export function listScenarios(): readonly ScenarioDefinition[] {
  return scenarios;
}

export function getScenario(name: string): ScenarioDefinition | undefined {
  return scenarios.find((s) => s.name === name);
}

function startMs(start: number | string | undefined): number | undefined {
  if (start === undefined) return undefined;
  const ms = typeof start === 'number' ? start : Date.parse(start);
  if (!Number.isFinite(ms)) {
    throw new ScenarioError(`start "${String(start)}" is not a date (e.g. 2026-04-01T12:00:00Z).`);
  }
  return Math.floor(ms / 1000) * 1000;
}

/** Whether an override path names something this step's event carries. */
function concerns(step: ScenarioStep, path: string): boolean {
  const top = path.split('.')[0]!;
  if (top in step.payload) return true;
  return getEvent(step.event)?.fields.some((f) => f.key === top) ?? false;
}

/** Applies each override to the steps whose event carries its field; one applying nowhere is an error. */
function overrideSteps(
  steps: ScenarioStep[],
  overrides: Overrides,
  force: boolean,
): ScenarioStep[] {
  const paths = [...Object.keys(overrides.set ?? {}), ...(overrides.unset ?? [])];
  const unused = paths.filter((path) => !steps.some((step) => concerns(step, path)));
  if (unused.length > 0) {
    throw new ScenarioError(
      `no event of this scenario carries ${unused.map((p) => `"${p}"`).join(', ')}: check the field name ("umhooks events <event>" lists an event's fields).`,
    );
  }
  const issues: (PayloadIssue & { event: string; step: number })[] = [];
  const result = steps.map((step, index) => {
    const set = Object.fromEntries(
      Object.entries(overrides.set ?? {}).filter(([path]) => concerns(step, path)),
    );
    const unset = (overrides.unset ?? []).filter(
      (path) => concerns(step, path) && hasPath(step.payload, path),
    );
    if (Object.keys(set).length === 0 && unset.length === 0) return step;
    const applied = applyOverrides(step.event, step.payload, { set, unset }, force);
    for (const issue of applied.issues) {
      if (issue.severity === 'error') issues.push({ ...issue, event: step.event, step: index });
    }
    return { ...step, payload: applied.payload };
  });
  if (issues.length > 0 && !force) {
    throw new ScenarioError(
      `the overrides make ${new Set(issues.map((i) => i.step)).size} event(s) fail their schema: fix them, or force.`,
      issues,
    );
  }
  return result;
}

function hasPath(payload: Record<string, unknown>, path: string): boolean {
  let node: unknown = payload;
  for (const part of path.split('.')) {
    if (!isPlainObject(node) || !(part in node)) return false;
    node = node[part];
  }
  return true;
}

/** Plays a scenario: the same name, seed, start and overrides give the same steps, byte for byte. */
export function runScenario(name: string, options: ScenarioRunOptions): ScenarioRun {
  const scenario = getScenario(name);
  if (!scenario) {
    throw new ScenarioError(
      `no scenario "${name}"; there are: ${scenarios.map((s) => s.name).join(', ')}.`,
    );
  }
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > MAX_SEED) {
    throw new ScenarioError(`seed ${options.seed} must be a whole number from 0 to ${MAX_SEED}.`);
  }
  const world = generateWorld(options.seed, startMs(options.start));
  const timeline = new Timeline(world);
  scenario.play(timeline);
  const steps = options.overrides
    ? overrideSteps(timeline.steps, options.overrides, options.force ?? false)
    : timeline.steps;
  return {
    scenario: name,
    seed: options.seed,
    start: new Date(world.start).toISOString().slice(0, 19).replace('T', ' '),
    steps,
  };
}
