import { binsApi } from './bins/bins-api.js';
import { eventsApi } from './events/events-api.js';
import { exportsApi } from './exports/exports-api.js';
import { infoApi } from './info/info-api.js';
import { replaysApi } from './replays/replays-api.js';
import type { ApiSlice } from './slice.js';
import { rulesApi } from './rules/rules-api.js';
import { requestsApi } from './requests/requests-api.js';
import { sandboxApi } from './sandbox/sandbox-api.js';
import { scenariosApi } from './scenarios/scenarios-api.js';

/**
 * Every slice of the API, in registration order. To add routes (e.g. `/api/sandbox/*`), write an
 * `ApiSlice` (routes + OpenAPI paths, see slice.ts) and list it here: the app mounts it and the
 * OpenAPI document merges it; a test fails if the two disagree.
 */
export const apiSlices: readonly ApiSlice[] = [
  infoApi,
  binsApi,
  rulesApi,
  requestsApi,
  replaysApi,
  exportsApi,
  eventsApi,
  sandboxApi,
  scenariosApi,
];
