// `npm run bench -- <name> [options]`: runs one benchmark (not a test: figures, no assertions).
import { parseArgs } from 'node:util';
import type { BenchOptions } from './options.js';

interface Bench {
  options: BenchOptions;
  run(args: string[]): Promise<void>;
}

const benches: Record<string, () => Promise<Bench>> = {
  capture: () => import('./capture.js'),
  dispatch: () => import('./dispatch.js'),
  idle: () => import('./idle.js'),
  scale: () => import('./scale.js'),
  startup: () => import('./startup.js'),
  sustained: () => import('./sustained.js'),
};

function usage(name: string, options: BenchOptions): string {
  const lines = Object.entries(options).map(([option, o]) => {
    const left = 'flag' in o ? option : `${option} <${o.value}>`;
    return `  ${left.padEnd(30)} ${o.help}`;
  });
  return [`Usage: npm run bench -- ${name} [options]`, ...lines].join('\n');
}

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : benches[name];
if (!load) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join('|')}> [options] (--help)`);
  process.exit(2);
}
const bench = await load();
if (args.includes('--help') || args.includes('-h')) {
  console.log(usage(name!, bench.options));
  process.exit(0);
}
// Checked before anything starts: a mistyped option would otherwise run the whole (long)
// benchmark with its defaults.
try {
  parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: Object.fromEntries(
      Object.entries(bench.options).map(([option, o]) => [
        option.slice(2),
        { type: 'flag' in o ? ('boolean' as const) : ('string' as const) },
      ]),
    ),
  });
} catch (error) {
  console.error(`${(error as Error).message}\n${usage(name!, bench.options)}`);
  process.exit(2);
}
try {
  await bench.run(args);
} catch (error) {
  console.error(error);
  process.exit(1);
}
