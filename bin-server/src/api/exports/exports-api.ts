import type { ApiSlice } from '../slice.js';
import { exportDocs } from './export-docs.js';
import { exportRoutes } from './export-routes.js';

export const exportsApi: ApiSlice = { name: 'exports', routes: exportRoutes, openapi: exportDocs };
