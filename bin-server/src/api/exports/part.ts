import type { ApiPart } from '../part.js';
import { exportDocs } from './openapi.js';
import { exportRoutes } from './routes.js';

export const exportsPart: ApiPart = { name: 'exports', routes: exportRoutes, openapi: exportDocs };
