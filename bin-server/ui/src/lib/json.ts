/**
 * A JSON tree that keeps what `JSON.parse` loses for display: number text as written (big ids,
 * `29.0`), duplicate keys and key order. Only used on text that `JSON.parse` already accepted.
 */
export type JsonNode =
  | { kind: 'object'; entries: Array<[string, JsonNode]> }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; raw: string }
  | { kind: 'literal'; raw: 'true' | 'false' | 'null' };

/**
 * Deeper documents are shown as text: the tree, its printer and its view recurse per level, and a
 * captured body may nest far deeper than the stack allows (JSON.parse itself does not recurse).
 */
const MAX_DEPTH = 500;

class TooDeep extends Error {}

class Parser {
  private i = 0;
  private depth = 0;
  nodes = 0;
  constructor(private readonly text: string) {}

  parse(): JsonNode {
    const node = this.value();
    this.space();
    if (this.i !== this.text.length) throw new SyntaxError('Unexpected text after the JSON value');
    return node;
  }

  private space(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.i += 1;
  }

  private value(): JsonNode {
    this.space();
    this.nodes += 1;
    const c = this.text[this.i];
    if ((c === '{' || c === '[') && this.depth >= MAX_DEPTH) throw new TooDeep();
    if (c === '{') return this.nested(() => this.object());
    if (c === '[') return this.nested(() => this.array());
    if (c === '"') return { kind: 'string', value: this.string() };
    for (const raw of ['true', 'false', 'null'] as const) {
      if (this.text.startsWith(raw, this.i)) {
        this.i += raw.length;
        return { kind: 'literal', raw };
      }
    }
    const match = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    match.lastIndex = this.i;
    const number = match.exec(this.text);
    if (!number) throw new SyntaxError(`Unexpected character at ${this.i}`);
    this.i += number[0].length;
    return { kind: 'number', raw: number[0] };
  }

  private nested(read: () => JsonNode): JsonNode {
    this.depth += 1;
    const node = read();
    this.depth -= 1;
    return node;
  }

  private string(): string {
    const start = this.i;
    this.i += 1;
    while (this.i < this.text.length && this.text[this.i] !== '"') {
      this.i += this.text[this.i] === '\\' ? 2 : 1;
    }
    this.i += 1;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  private object(): JsonNode {
    const entries: Array<[string, JsonNode]> = [];
    this.i += 1;
    this.space();
    if (this.text[this.i] === '}') {
      this.i += 1;
      return { kind: 'object', entries };
    }
    for (;;) {
      this.space();
      const key = this.string();
      this.space();
      this.i += 1; // ':'
      entries.push([key, this.value()]);
      this.space();
      if (this.text[this.i++] === '}') return { kind: 'object', entries };
    }
  }

  private array(): JsonNode {
    const items: JsonNode[] = [];
    this.i += 1;
    this.space();
    if (this.text[this.i] === ']') {
      this.i += 1;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value());
      this.space();
      if (this.text[this.i++] === ']') return { kind: 'array', items };
    }
  }
}

export interface ParsedJson {
  root: JsonNode;
  /** How many values the document holds (the view collapses deep levels of big documents). */
  nodes: number;
}

/** The tree, or null when the text is not JSON (or nests deeper than the view shows). */
export function parseJsonText(text: string): ParsedJson | null {
  const trimmed = text.trim();
  if (trimmed === '' || !'{["-0123456789tfn'.includes(trimmed[0]!)) return null;
  try {
    JSON.parse(trimmed);
  } catch {
    return null;
  }
  const parser = new Parser(trimmed);
  try {
    return { root: parser.parse(), nodes: parser.nodes };
  } catch (error) {
    if (error instanceof TooDeep) return null;
    throw error;
  }
}

/** Indented JSON text of the tree, numbers exactly as received. */
export function printJson(node: JsonNode, indent = ''): string {
  const inner = `${indent}  `;
  switch (node.kind) {
    case 'object':
      if (node.entries.length === 0) return '{}';
      return `{\n${node.entries
        .map(([key, value]) => `${inner}${JSON.stringify(key)}: ${printJson(value, inner)}`)
        .join(',\n')}\n${indent}}`;
    case 'array':
      if (node.items.length === 0) return '[]';
      return `[\n${node.items.map((item) => `${inner}${printJson(item, inner)}`).join(',\n')}\n${indent}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
    case 'literal':
      return node.raw;
  }
}

/** The tree of an already-parsed value (event samples from the API). */
export function fromValue(value: unknown): JsonNode {
  if (value === null || value === undefined) return { kind: 'literal', raw: 'null' };
  if (Array.isArray(value)) return { kind: 'array', items: value.map(fromValue) };
  switch (typeof value) {
    case 'object':
      return {
        kind: 'object',
        entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          fromValue(v),
        ]),
      };
    case 'string':
      return { kind: 'string', value };
    case 'number':
      return { kind: 'number', raw: JSON.stringify(value) };
    case 'boolean':
      return { kind: 'literal', raw: value ? 'true' : 'false' };
    default:
      return { kind: 'string', value: String(value) };
  }
}
