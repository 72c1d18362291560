import { randomInt } from 'node:crypto';
import type { Router } from 'express';
import { getScenario, listScenarios, MAX_SEED, ScenarioError } from '@umhooks/core';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import type { Context } from '../../context.js';
import { fireScenario } from '../../sandbox/scenarios.js';
import { toScenarioJson, toScenarioRunJson } from '../../wire/scenarios.js';
import { scenarioPath, scenarioRunInput } from './schemas.js';

function load(nameParam: unknown) {
  const { name } = parseInput(scenarioPath, { name: nameParam }, 'path');
  const scenario = getScenario(name);
  if (!scenario) {
    throw new HttpError(
      404,
      'scenario_not_found',
      `No scenario "${name}". There are: ${listScenarios()
        .map((s) => s.name)
        .join(', ')} (GET /api/sandbox/scenarios).`,
    );
  }
  return scenario;
}

/** The routes of /api/sandbox/scenarios (paths relative to /api). */
export function scenariosRoutes(router: Router, context: Context): void {
  router.get('/sandbox/scenarios', (_req, res) => {
    res.json({ items: listScenarios().map(toScenarioJson) });
  });

  router.get('/sandbox/scenarios/:name', (req, res) => {
    res.json(toScenarioJson(load(req.params.name)));
  });

  router.post('/sandbox/scenarios/:name/run', async (req, res) => {
    const scenario = load(req.params.name);
    const input = parseInput(scenarioRunInput, req.body ?? {}, 'body');
    // Only the choice of a seed is random; the run itself is decided by it.
    const seed = input.seed ?? randomInt(0, MAX_SEED);
    try {
      const fired = await fireScenario(context, scenario.name, {
        seed,
        ...(input.start !== undefined ? { start: input.start } : {}),
        overrides: { set: input.set ?? {}, unset: input.unset ?? [] },
        force: input.force,
        delayMs: input.delay_ms,
      });
      res.status(202).json(toScenarioRunJson(fired));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      res.status(422).json({
        error: error.issues.length > 0 ? 'invalid_overrides' : 'invalid_options',
        message: error.message,
        ...(error.issues.length > 0 ? { issues: error.issues } : {}),
      });
    }
  });
}
