/**
 * The integration's version, as Zapier shows and versions it. Kept equal to package.json's
 * `version` (a unit test checks): importing package.json from src/ would put it outside tsc's rootDir.
 */
export const version = '0.1.0';
