import type { ApiSlice } from '../slice.js';
import { replayDocs } from './replay-docs.js';
import { replayRoutes } from './replay-routes.js';

/** Replays of captured requests: /api/bins/:id/requests/:rid/replay(s). */
export const replaysApi: ApiSlice = {
  name: 'replays',
  routes: replayRoutes,
  openapi: replayDocs,
};
