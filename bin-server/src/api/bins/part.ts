import type { ApiPart } from '../part.js';
import { binDocs } from './openapi.js';
import { binRoutes } from './routes.js';

export const binsPart: ApiPart = { name: 'bins', routes: binRoutes, openapi: binDocs };
