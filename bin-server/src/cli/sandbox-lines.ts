import type { RunningServer } from '../server.js';
import { API_KEY_SETTING, API_SECRET_SETTING } from '../sandbox/credentials.js';

/** The start-up lines about the sandbox network: its REST base and the key pair to use. */
export async function sandboxLines(running: RunningServer): Promise<string> {
  const { store } = running.context;
  const key = (await store.settings.get(API_KEY_SETTING)) ?? '';
  const secret = (await store.settings.get(API_SECRET_SETTING)) ?? '';
  const rest = `${running.context.baseUrl()}/wp-json/wu/v2`;
  return [
    `  Sandbox REST  ${rest}    (the plugin's webhook API: Zapier app, integrations)`,
    `  API key       ${key}`,
    `  API secret    ${secret}`,
  ].join('\n');
}
