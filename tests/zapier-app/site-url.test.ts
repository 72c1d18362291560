import { describe, expect, it } from 'vitest';
import { normalizeSiteUrl } from '../../zapier-app/src/site-url.js';

function url(input: unknown): string {
  const result = normalizeSiteUrl(input);
  if (!result.ok)
    throw new Error(`expected ${JSON.stringify(input)} to be accepted: ${result.message}`);
  return result.url;
}

function refusal(input: unknown): string {
  const result = normalizeSiteUrl(input);
  if (result.ok)
    throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${result.url}`);
  return result.message;
}

describe('Site URL normalization', () => {
  it('keeps a clean https URL and drops trailing slashes', () => {
    expect(url('https://network.example.com')).toBe('https://network.example.com');
    expect(url('https://network.example.com///')).toBe('https://network.example.com');
    expect(url('  https://Network.Example.com/  ')).toBe('https://network.example.com');
  });

  it('adds https:// when the scheme is missing, also with a port or a sub-directory', () => {
    expect(url('network.example.com')).toBe('https://network.example.com');
    expect(url('network.example.com/wp')).toBe('https://network.example.com/wp');
    expect(url('localhost:8787')).toBe('https://localhost:8787');
    expect(url('127.0.0.1:8787/')).toBe('https://127.0.0.1:8787');
  });

  it('keeps http:// when typed, with its port', () => {
    expect(url('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
  });

  it('keeps a sub-directory network path', () => {
    expect(url('https://example.com/network/')).toBe('https://example.com/network');
  });

  it('cuts a pasted REST or admin address back to the site root', () => {
    expect(url('https://example.com/wp-json')).toBe('https://example.com');
    expect(url('https://example.com/wp-json/wu/v2/auth?api_key=abc')).toBe('https://example.com');
    expect(url('https://example.com/sub/wp-json/wu/v2/')).toBe('https://example.com/sub');
    expect(url('https://example.com/wp-admin/network/admin.php?page=wp-ultimo-settings')).toBe(
      'https://example.com',
    );
    expect(url('example.com/wp-login.php')).toBe('https://example.com');
  });

  it('refuses other schemes, naming the one it got', () => {
    expect(refusal('ftp://example.com')).toMatch(/https:\/\/.*not ftp:/);
    expect(refusal('javascript:alert(1)')).toMatch(/not javascript:/);
    expect(refusal('mailto:admin@example.com')).toMatch(/not mailto:/);
  });

  it('refuses empty input, non-strings and things that are not addresses', () => {
    expect(refusal('')).toMatch(/Enter your network's Site URL/);
    expect(refusal('   ')).toMatch(/Enter your network's Site URL/);
    expect(refusal(undefined)).toMatch(/Enter/);
    expect(refusal(42)).toMatch(/Enter/);
    expect(refusal('https://exa mple.com')).toMatch(/not a web address/);
  });

  it('refuses credentials, query strings and fragments instead of silently dropping them', () => {
    expect(refusal('https://user:pass@example.com')).toMatch(/user name and password/);
    expect(refusal('https://example.com/?lang=en')).toMatch(/Remove the "\?…"/);
    expect(refusal('https://example.com/#top')).toMatch(/Remove the "\?…" or "#…"/);
  });
});
