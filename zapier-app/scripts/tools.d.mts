// Types for the tests that use tools.mjs (the scripts themselves run as plain JavaScript).
export declare const appDir: string;
export declare const workspaceDir: string;
export declare const toolsDir: string;
export declare function cleanEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export declare function ensureTools(options?: { quiet?: boolean }): void;
export declare function findNode22(): string;
export declare function node22Obtainable(): boolean;
export declare function runCli(
  args: string[],
  options?: { cwd?: string; stdio?: 'inherit' | 'pipe' | 'ignore' },
): number;
