import { randomInt } from 'node:crypto';
import type { Context } from '../context.js';

/** The sandbox network's one API key pair (like the plugin's, full access). */
export interface SandboxCredentials {
  apiKey: string;
  apiSecret: string;
}

/** Settings keys; `/api/info` and `umhooks serve` read them too. */
export const API_KEY_SETTING = 'sandbox.api_key';
export const API_SECRET_SETTING = 'sandbox.api_secret';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Like WordPress's `wp_generate_password(24, false)`: letters and digits, from a CSPRNG. */
function generatePassword(length = 24): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/**
 * The credentials in force: `--api-key`/`--api-secret` when given (stored, so the API's info
 * and later starts see them), else the stored pair, else a pair generated now and stored.
 */
export async function ensureCredentials(context: Context): Promise<SandboxCredentials> {
  const { settings } = context.store;
  const resolve = async (setting: string, configured: string | undefined) => {
    const stored = await settings.get(setting);
    if (configured !== undefined) {
      if (stored !== configured) await settings.set(setting, configured);
      return configured;
    }
    if (stored !== undefined && stored !== '') return stored;
    // Servers starting together on a shared (PostgreSQL) store must agree on one pair.
    if (stored === undefined) return settings.setIfAbsent(setting, generatePassword());
    const generated = generatePassword();
    await settings.set(setting, generated);
    return generated;
  };
  const apiKey = await resolve(API_KEY_SETTING, context.config.apiKey);
  const apiSecret = await resolve(API_SECRET_SETTING, context.config.apiSecret);
  return { apiKey, apiSecret };
}
