import type { ApiPart } from '../part.js';
import { requestDocs } from './openapi.js';
import { requestRoutes } from './routes.js';

export const requestsPart: ApiPart = {
  name: 'requests',
  routes: requestRoutes,
  openapi: requestDocs,
};
