/** The options a benchmark takes, for `--help` and for refusing an unknown one before it runs. */
export type BenchOptions = Record<
  string,
  { value: string; help: string } | { flag: true; help: string }
>;
