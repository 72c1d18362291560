import { cruise, type IForbiddenRuleType, type IModule } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/server.js';

// The house plan (README "Architecture"), checked on every `npm test`: adapters call the domain,
// the domain calls ports, drivers implement ports, and nothing reaches back up.
const src = '^bin-server/src/';
const adapters = ['capture', 'api', 'wp-rest', 'live', 'ui-server', 'cli'];
const anyAdapter = `${src}(${adapters.join('|')})/`;
const drivers = `${src}(store/(sqlite|postgres)/|store/open\\.ts|bus/(memory|postgres|open)\\.ts)`;

const rules: IForbiddenRuleType[] = [
  {
    name: 'core-stands-alone',
    comment: 'core is the library receivers use: it imports nothing of the project',
    severity: 'error',
    from: { path: '^core/' },
    to: { path: '^(bin-server|zapier-app|tests)/' },
  },
  {
    name: 'zapier-app-uses-core-only',
    comment: 'the Zapier app ships alone: of the project it may import core only',
    severity: 'error',
    from: { path: '^zapier-app/' },
    to: { path: '^(bin-server|tests)/' },
  },
  {
    name: 'browser-app-reads-wire-shapes-only',
    comment:
      'the browser UI knows the server by its wire shapes (bin-server/src/wire), nothing else',
    severity: 'error',
    from: { path: '^bin-server/ui/' },
    to: { path: `${src}`, pathNot: `${src}wire/` },
  },
  ...adapters.map((adapter): IForbiddenRuleType => ({
    name: `adapter-${adapter}-stands-alone`,
    comment: 'adapters never import one another; what they share lives in the domain or wire/',
    severity: 'error',
    from: { path: `${src}${adapter}/` },
    to: { path: anyAdapter, pathNot: `${src}${adapter}/` },
  })),
  {
    name: 'domain-does-not-reach-up',
    comment: 'the domain calls ports; adapters, the wiring and wire shapes are above it',
    severity: 'error',
    from: { path: `${src}(sandbox|replay|responders|rules)/` },
    to: { path: `${anyAdapter}|${src}(server\\.ts|wire/)` },
  },
  {
    name: 'drivers-do-not-reach-up',
    comment: 'store and bus drivers implement ports: they never import adapters or the domain',
    severity: 'error',
    from: { path: `${src}(store|bus)/` },
    to: { path: `${anyAdapter}|${src}(sandbox/|replay/|rules/|wire/|server\\.ts|context\\.ts)` },
  },
  {
    name: 'wire-shapes-depend-on-records-only',
    comment: 'wire/ turns store records into JSON: it knows the records, not who sends them',
    severity: 'error',
    from: { path: `${src}wire/` },
    to: { path: `${anyAdapter}|${src}(sandbox/|replay/|server\\.ts)` },
  },
  {
    name: 'only-the-wiring-opens-drivers',
    comment: 'server.ts chooses and opens the drivers; everything else uses the ports',
    severity: 'error',
    from: { path: src, pathNot: `${src}(server\\.ts|store/|bus/)` },
    to: { path: drivers },
  },
  {
    name: 'no-cycles',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
];

let modules: IModule[] = [];
let violations: string[] = [];

beforeAll(async () => {
  const previous = process.cwd();
  process.chdir(repoRoot);
  try {
    const result = await cruise(
      ['core/src', 'bin-server/src', 'bin-server/ui/src', 'zapier-app/src'],
      {
        validate: true,
        ruleSet: { forbidden: rules },
        doNotFollow: { path: 'node_modules' },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: 'tests/tsconfig.json' },
      },
      {},
    );
    if (typeof result.output === 'string') throw new Error(result.output);
    modules = result.output.modules;
    violations = result.output.summary.violations.map(
      (v) =>
        `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`,
    );
  } finally {
    process.chdir(previous);
  }
}, 120_000);

describe('the dependency rule', () => {
  it('reads every part of the project (the rules below are not vacuous)', () => {
    const names = modules.map((m) => m.source);
    for (const part of [
      'core/src/index.ts',
      'bin-server/src/server.ts',
      'bin-server/src/capture/handler.ts',
      'bin-server/src/store/sqlite/store.ts',
      'bin-server/ui/src/main.tsx',
      'zapier-app/src/index.ts',
    ]) {
      expect(names).toContain(part);
    }
    // The wiring really does import the parts the rules keep apart.
    const server = modules.find((m) => m.source === 'bin-server/src/server.ts');
    const targets = server?.dependencies.map((d) => d.resolved) ?? [];
    expect(targets).toContain('bin-server/src/capture/handler.ts');
    expect(targets).toContain('bin-server/src/store/open.ts');
  });

  it('holds: no part imports what its layer must not', () => {
    expect(violations).toEqual([]);
  });
});
