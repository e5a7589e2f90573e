// What a history parser returns: the operations, or where and why it stopped.

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      /** 1-based line of the input the problem is on. */
      readonly line: number;
      readonly message: string;
    };

export function parseError<T>(line: number, message: string): ParseResult<T> {
  return { ok: false, line, message };
}

/** Operations whose call has been seen, by client, while their return is awaited. */
export class OpenCalls<I> {
  private readonly open = new Map<number, { readonly input: I; readonly call: number; readonly slot: number }>();

  has(client: number): boolean {
    return this.open.has(client);
  }

  add(client: number, input: I, call: number, slot: number): void {
    this.open.set(client, { input, call, slot });
  }

  /** Remove and return the client's open call, if any. */
  take(client: number): { readonly input: I; readonly call: number; readonly slot: number } | undefined {
    const c = this.open.get(client);
    this.open.delete(client);
    return c;
  }
}
