import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { need } from './requirements.js';
import { repoRoot } from './server.js';

/** Debian's Chromium; nothing here ever downloads a browser. */
const chromiumPath = '/usr/bin/chromium';

export const hasChromium = (): boolean =>
  need('Chromium', fs.existsSync(chromiumPath), 'apt-get install chromium');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

const uiDir = path.join(repoRoot, 'bin-server/ui');
const builtIndex = path.join(repoRoot, 'bin-server/dist/ui/index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  return fs.existsSync(builtIndex) && fs.statSync(builtIndex).mtimeMs >= newestMtime(uiDir);
}

/**
 * Builds the browser app when bin-server/dist/ui is missing or older than its sources (`npm test`
 * builds first; this covers running vitest alone). Test files run in parallel: a lock file makes
 * one of them build while the others wait.
 */
export function ensureUiBuilt(): void {
  if (isFresh()) return;
  const lock = path.join(repoRoot, 'bin-server/dist/.ui-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx'));
      break;
    } catch {
      // A stale lock (a killed run) is older than any build takes.
      if (fs.existsSync(lock) && Date.now() - fs.statSync(lock).mtimeMs > 120_000)
        fs.rmSync(lock, { force: true });
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for ${lock}; delete it if no build is running.`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!isFresh())
      execFileSync(process.execPath, [path.join(uiDir, 'build.mjs')], { stdio: 'pipe' });
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/**
 * Records what a page must never do: open dialogs (alert, confirm), throw script errors, or trip
 * the Content Security Policy.
 */
export function watchPage(page: Page): { dialogs: string[]; errors: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  // The CSP must never have to block anything the UI itself does (inline styles, eval, …).
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      seen.errors.push(message.text());
    }
  });
  return seen;
}

export interface RawRequest {
  method?: string;
  /** Arrays send the header once per value, in order (node:http). */
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
  agent?: http.Agent;
}

/**
 * Sends one request exactly as given: the path is not normalized (`/../x` stays), duplicate headers
 * are sent once per value. Resolves to the status and the body text.
 */
export function sendRaw(
  url: string,
  request: RawRequest = {},
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const options = {
    hostname: target.hostname.replace(/^\[|\]$/g, ''),
    port: target.port,
    path: url.slice(target.origin.length) || '/',
    method: request.method ?? 'POST',
    headers: request.headers,
    agent: request.agent,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(request.body);
  });
}
