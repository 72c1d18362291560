/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser and use its DOM types.
import type { Page } from 'playwright-core';
import type { BinJson } from '../../../bin-server/src/wire/bin.js';

/** Creates a bin over the API (the UI flow itself is tested in bins.test.ts). */
export async function createBin(
  baseUrl: string,
  body: { id?: string; name?: string } = {},
): Promise<BinJson> {
  const response = await fetch(`${baseUrl}/api/bins`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`POST /api/bins answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as BinJson;
}

/** The rows of the first table matching `selector`: each row's cells as trimmed text. */
export function tableRows(page: Page, selector: string): Promise<string[][]> {
  return page
    .locator(selector)
    .first()
    .evaluate((table) =>
      Array.from(table.querySelectorAll('tbody tr'), (row) =>
        Array.from(row.querySelectorAll('th, td'), (cell) =>
          (cell as HTMLElement).innerText.trim(),
        ),
      ),
    );
}

/** The list row of the request received at `url` (path and query after the bin), newest first. */
export function requestRow(page: Page, url: string) {
  const exact = new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page
    .locator('.request-row')
    .filter({ has: page.locator('.request-row-path', { hasText: exact }) })
    .first();
}

/** Opens the request received at `url` and waits for its detail view. */
export async function openRequest(page: Page, url: string): Promise<void> {
  const row = requestRow(page, url);
  await row.waitFor();
  const id = await row.getAttribute('data-request-id');
  await row.click();
  await page.locator(`.request-detail[data-request-id="${id}"]`).waitFor();
}

/** Name/value pairs of a headers, query or form table, in display order. */
export function kvPairs(page: Page, selector: string): Promise<Array<[string, string]>> {
  return page
    .locator(selector)
    .first()
    .evaluate((table) =>
      Array.from(table.querySelectorAll('tbody tr'), (row) => [
        (row.querySelector('.kv-key .mono') as HTMLElement).innerText,
        (row.querySelector('.kv-value') as HTMLElement).innerText,
      ]),
    ) as Promise<Array<[string, string]>>;
}

/** A tab of the request detail (Body, Headers, Query, Recognition, Signature). */
export type DetailTab = 'body' | 'headers' | 'query' | 'recognition' | 'signature';

/** The selector of a request-detail tab's panel, e.g. `${detailPanel('headers')} table`. */
export const detailPanel = (tab: DetailTab) => `#request-detail-panel-${tab}[role="tabpanel"]`;

/** Opens a tab of the request detail and waits for its panel. */
export async function showTab(page: Page, tab: DetailTab): Promise<void> {
  await page.locator(`#request-detail-tab-${tab}[role="tab"]`).click();
  await page.locator(detailPanel(tab)).waitFor();
}
