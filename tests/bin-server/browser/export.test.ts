import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportLineJson } from '../../../bin-server/src/wire/export.js';
import { hasChromium, sendRaw } from '../../support/browser.js';
import { useBrowserSession } from './session.js';
import { createBin, requestRow } from './ui-helpers.js';

describe.runIf(hasChromium())('exporting a bin from its page', () => {
  const session = useBrowserSession();

  it('downloads HAR, JSON lines and CSV of the requests the filters let through', async () => {
    const { page, server } = session;
    const bin = await createBin(server.url, { name: 'export me' });
    await sendRaw(`${bin.url}/created?n=1`, { body: 'posted, "quoted"' });
    await sendRaw(`${bin.url}/updated`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain' },
      body: 'put body',
    });
    await page.goto(`${server.url}/#/bins/${bin.id}`);
    await requestRow(page, '/updated').waitFor();

    const download = async (label: string) => {
      await page.locator('.export-menu summary').click();
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page
          .getByRole('group', { name: 'Export requests' })
          .getByText(label, { exact: true })
          .click(),
      ]);
      return {
        name: file.suggestedFilename(),
        text: fs.readFileSync((await file.path())!, 'utf8'),
      };
    };

    // No filter: both requests, oldest first.
    const all = await download('JSON lines');
    expect(all.name).toBe(`${bin.id}.jsonl`);
    const lines = all.text
      .trimEnd()
      .split('\n')
      .map((l) => exportLineJson.parse(JSON.parse(l)));
    expect(lines.map((l) => [l.method, l.path, l.body, l.body_encoding])).toEqual([
      ['POST', '/created', 'posted, "quoted"', 'utf8'],
      ['PUT', '/updated', 'put body', 'utf8'],
    ]);
    // Choosing a link closes the menu.
    expect(await page.locator('.export-menu').getAttribute('open')).toBeNull();

    // The filters bar's method filter goes with every format.
    await page.getByLabel('Method').selectOption('PUT');
    await requestRow(page, '/created').waitFor({ state: 'detached' });
    const csv = await download('CSV');
    expect(csv.name).toBe(`${bin.id}.csv`);
    const rows = csv.text.trimEnd().split('\r\n');
    expect(rows[0]).toBe('id,received_at,method,path,query,content_type,size,event,signature');
    expect(rows.slice(1).map((r) => r.split(',').slice(2, 7))).toEqual([
      ['PUT', '/updated', '', 'text/plain', '8'],
    ]);
    const har = await download('HAR');
    expect(har.name).toBe(`${bin.id}.har`);
    const entries = (
      JSON.parse(har.text) as { log: { entries: Array<{ request: { method: string } }> } }
    ).log.entries;
    expect(entries.map((e) => e.request.method)).toEqual(['PUT']);
  });
});
