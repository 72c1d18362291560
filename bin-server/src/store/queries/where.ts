/**
 * A WHERE clause built one condition at a time, with its parameters in placeholder order. The
 * conditions are each driver's SQL; what is shared is the bookkeeping and which filters apply.
 */
export class Where {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  constructor(private readonly placeholder: Placeholder) {}

  /** Appends `value` to the parameters; returns the placeholder that names it. */
  param(value: unknown): string {
    return this.placeholder(this.params.push(value));
  }

  and(condition: string): void {
    this.conditions.push(condition);
  }

  /** `WHERE a AND b`, or `` without conditions. */
  get clause(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/** The placeholder for the parameter at `position` (1-based) in a driver's SQL. */
export type Placeholder = (position: number) => string;

/** SQLite's anonymous `?`: parameters bind in order of appearance. */
export const anonymous: Placeholder = () => '?';

/** PostgreSQL's `$1`, `$2`…: a parameter may be named more than once. */
export const numbered: Placeholder = (position) => `$${position}`;
