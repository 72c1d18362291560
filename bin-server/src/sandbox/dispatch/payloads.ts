/**
 * The fired payload texts the dispatcher is sending, parsed once each: the deliveries of one fire
 * share their text. The parsed objects are deeply frozen, which lets core encode each one once
 * per profile instead of once per webhook (core's `deliver` reuses the body of a payload that
 * cannot change; encoding cost more than signing).
 */
export class ParsedPayloads {
  private readonly byText = new Map<string, unknown>();

  constructor(private readonly kept = 32) {}

  get(text: string): unknown {
    let parsed = this.byText.get(text);
    if (parsed === undefined) {
      parsed = deepFreeze(JSON.parse(text) as unknown);
      if (this.byText.size >= this.kept) this.byText.delete(this.byText.keys().next().value!);
      this.byText.set(text, parsed);
    }
    return parsed;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
