import { binsPart } from './bins/part.js';
import { eventsPart } from './events/part.js';
import { exportsPart } from './exports/part.js';
import { infoPart } from './info/part.js';
import type { ApiPart } from './part.js';
import { requestsPart } from './requests/part.js';
import { sandboxPart } from '../sandbox/api/part.js';

/**
 * Every part of the API, in registration order. To add routes (e.g. `/api/sandbox/*`), write an
 * `ApiPart` (routes + OpenAPI paths, see part.ts) and list it here: the app mounts it and the
 * OpenAPI document merges it; a test fails if the two disagree.
 */
export const apiParts: readonly ApiPart[] = [
  infoPart,
  binsPart,
  requestsPart,
  exportsPart,
  eventsPart,
  sandboxPart,
];
