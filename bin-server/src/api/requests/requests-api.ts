import type { ApiSlice } from '../slice.js';
import { requestDocs } from './request-docs.js';
import { requestRoutes } from './request-routes.js';

export const requestsApi: ApiSlice = {
  name: 'requests',
  routes: requestRoutes,
  openapi: requestDocs,
};
