import { api, path } from '../../api/client.js';
import type { DeliveryJson } from '../../api/types.js';
import type { ScenarioJson, ScenarioRunJson } from '../../../../src/wire/scenarios.js';

export type { ScenarioJson, ScenarioRunJson };

export const listScenarios = () => api<{ items: ScenarioJson[] }>('/api/sandbox/scenarios');

export interface ScenarioRunBody {
  seed?: number;
  delay_ms?: number;
  set?: Record<string, string>;
  unset?: string[];
  force?: boolean;
}

export const runScenario = (name: string, body: ScenarioRunBody) =>
  api<ScenarioRunJson>(`/api/sandbox/scenarios/${path(name)}/run`, { method: 'POST', body });

export const getDelivery = (id: string) => api<DeliveryJson>(`/api/sandbox/deliveries/${path(id)}`);
