import type { ApiSlice } from '../slice.js';
import { ruleDocs } from './rule-docs.js';
import { ruleRoutes } from './rule-routes.js';

export const rulesApi: ApiSlice = { name: 'rules', routes: ruleRoutes, openapi: ruleDocs };
