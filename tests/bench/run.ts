// `npm run bench -- <name> [options]`: runs one benchmark (not a test: figures, no assertions).
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  capture: () => import('./capture.js'),
  dispatch: () => import('./dispatch.js'),
  idle: () => import('./idle.js'),
  scale: () => import('./scale.js'),
  startup: () => import('./startup.js'),
};

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : benches[name];
if (!load) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]`);
  process.exit(2);
}
try {
  await (await load()).run(args);
} catch (error) {
  console.error(error);
  process.exit(1);
}
