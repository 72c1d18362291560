import { error, json, jsonBody, operation, ref } from '../openapi/dsl.js';
import type { ApiSlice } from '../slice.js';
import { scenarioJson, scenarioRefusedJson, scenarioRunJson } from '../../wire/scenarios.js';
import { scenariosRoutes } from './scenarios-routes.js';
import { scenarioPath, scenarioRunInput } from './schemas.js';

const tag = 'scenarios';
const notFound = error('`scenario_not_found`: no scenario of this name.');

/** /api/sandbox/scenarios: named sequences of events with one consistent world, fired to the sandbox. */
export const scenariosApi: ApiSlice = {
  name: 'scenarios',
  routes: scenariosRoutes,
  openapi: () => ({
    tags: [
      {
        name: tag,
        description:
          'Scenarios: realistic sequences of events (a signup, a renewal, a failed renewal…) in the order the plugin fires them, sharing one generated customer, membership, payments, site and domain. A run fires each event to the sandbox’s webhooks like /api/sandbox/fire.',
      },
    ],
    outputs: {
      ScenarioJson: scenarioJson,
      ScenarioRunJson: scenarioRunJson,
      ScenarioRefusedJson: scenarioRefusedJson,
    },
    inputs: { ScenarioRunInput: scenarioRunInput },
    paths: {
      '/api/sandbox/scenarios': {
        get: operation({
          id: 'listScenarios',
          summary: 'Every scenario, with its events and where they come from',
          tag,
          responses: {
            200: json('The scenarios.', {
              type: 'object',
              properties: { items: { type: 'array', items: ref('ScenarioJson') } },
              required: ['items'],
            }),
          },
        }),
      },
      '/api/sandbox/scenarios/{name}': {
        get: operation({
          id: 'getScenario',
          summary: 'One scenario',
          tag,
          path: scenarioPath,
          responses: { 200: json('The scenario.', ref('ScenarioJson')), 404: notFound },
        }),
      },
      '/api/sandbox/scenarios/{name}/run': {
        post: operation({
          id: 'runScenario',
          summary: 'Play a scenario and fire its events to the sandbox webhooks',
          description:
            'Each event goes through the outbox like POST /api/sandbox/fire (deliveries, delivery log, live viewers), in order, `delay_ms` apart. The answer lists every event with its payload and delivery ids.',
          tag,
          path: scenarioPath,
          body: jsonBody(ref('ScenarioRunInput')),
          responses: {
            202: json('Fired.', ref('ScenarioRunJson')),
            404: notFound,
            422: json(
              'The overrides name no field of the scenario’s events, or make a payload fail its schema (without `force`).',
              ref('ScenarioRefusedJson'),
            ),
          },
        }),
      },
    },
  }),
};
