import type { ApiSlice } from '../slice.js';
import { binDocs } from './bin-docs.js';
import { binRoutes } from './bin-routes.js';

export const binsApi: ApiSlice = { name: 'bins', routes: binRoutes, openapi: binDocs };
