// The JSON shapes the UI reads, imported (type-only, erased from the bundle) from the server's
// wire shapes (bin-server/src/wire), so the UI and the API cannot drift apart.
import type { Candidate, PayloadIssue, Profile } from '@umhooks/core';
import type { DeliveryJson } from '../../../src/wire/sandbox.js';

export type { BinJson } from '../../../src/wire/bin.js';
export type { LiveMessage } from '../../../src/wire/live.js';
export type {
  JsonErrorJson,
  RecognitionJson,
  RequestJson,
  RequestSummaryJson,
} from '../../../src/wire/request.js';
export type {
  AttemptJson,
  DeliveryJson,
  FireResultJson,
  TestResultJson,
  WebhookJson,
} from '../../../src/wire/sandbox.js';
export type { EventJson } from '../../../src/wire/event.js';
export type { RulePreviewJson, RulesJson } from '../../../src/wire/rules.js';
import type { RulesJson } from '../../../src/wire/rules.js';
/** One rule as the API gives it. */
export type RuleJson = RulesJson['rules'][number];
export type { ReplayJson, RequestWithReplaysJson } from '../../../src/wire/replay.js';
export type { RequestForwardJson } from '../../../src/wire/forward.js';
export type { InfoJson } from '../../../src/wire/info.js';
export type { Candidate, PayloadIssue, Profile };

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface WebhookInput {
  name: string;
  webhook_url: string;
  event: string;
  active: boolean;
  profile: Profile;
  integration?: string;
}

export type DeliveryStatus = DeliveryJson['status'];
