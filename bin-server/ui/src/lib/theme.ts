import { preference } from './preference.js';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const themePreference = preference<Theme>('umhooks.theme', THEMES, 'system');

const systemDark = matchMedia('(prefers-color-scheme: dark)');

function apply(): void {
  const theme = themePreference.get();
  const dark = theme === 'dark' || (theme === 'system' && systemDark.matches);
  // The palette in styles/base.css keys on this attribute only, so there is one dark palette.
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/**
 * Sets the theme on <html> now (main.tsx calls this before the first render, as the strict CSP
 * allows no inline script in the page) and whenever the choice or, on "system", the system's
 * scheme changes.
 */
export function startTheme(): void {
  apply();
  themePreference.subscribe(apply);
  systemDark.addEventListener('change', apply);
}
