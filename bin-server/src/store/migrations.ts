/**
 * A schema step, as both drivers number them (their SQL differs, the history is the same). A step
 * never changes once released: append a new one instead.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Where the data is and what to do instead, as each driver words it for its user. */
export interface SchemaPlace {
  /** e.g. `The data file /srv/umhooks.db`, `The PostgreSQL schema "umhooks"` */
  what: string;
  /** e.g. `upgrade umhooks, or use another --data` */
  remedy: string;
}

/**
 * The data was written by a newer umhooks: this one refuses it rather than read a schema it does
 * not know (both drivers; the message names the version needed).
 */
export class NewerSchemaError extends Error {
  readonly code = 'newer_schema';
  constructor(
    readonly found: number,
    readonly known: number,
    place: SchemaPlace,
  ) {
    super(
      `${place.what} was written by a newer umhooks (schema ${found}; this one knows up to ${known}): ${place.remedy}.`,
    );
    this.name = 'NewerSchemaError';
  }
}

/** The newest version `steps` know. */
export function latestVersion(steps: readonly Migration[]): number {
  return Math.max(0, ...steps.map((s) => s.version));
}

/**
 * The steps a schema has not seen yet, in version order. Throws a NewerSchemaError when the
 * schema holds a version this umhooks does not know: a newer umhooks wrote it.
 */
export function stepsToApply<M extends Migration>(
  applied: ReadonlySet<number>,
  steps: readonly M[],
  place: SchemaPlace,
): M[] {
  const newest = latestVersion(steps);
  const unknown = [...applied].filter((v) => v > newest);
  if (unknown.length > 0) throw new NewerSchemaError(Math.max(...unknown), newest, place);
  return [...steps].sort((a, b) => a.version - b.version).filter((s) => !applied.has(s.version));
}
