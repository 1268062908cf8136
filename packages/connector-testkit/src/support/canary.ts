import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';

/** A unique secret with characters that URL- and JSON-encoding change, so every spelling can be looked for. */
export const newCanary = (): string => `canary-${randomUUID().slice(0, 8)}-p@ss/w:rd+%`;

/** Every text a person could see from an error: message, stack, each cause's, inspect and JSON. */
export function errorOutputs(error: unknown): string[] {
  const outputs = [inspect(error, { depth: Number.POSITIVE_INFINITY }), safeJson(error)];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 16; depth++) {
    if (current instanceof Error) {
      outputs.push(current.message, current.stack ?? '', inspect(current, { depth: 10 }));
      current = current.cause;
    } else {
      outputs.push(typeof current === 'string' ? current : safeJson(current));
      current = undefined;
    }
  }
  return outputs;
}

/** The texts that hold `secret` in any of the spellings messages use (as is, URL-encoded, JSON-escaped). */
export function canaryLeaks(texts: readonly string[], secret: string): string[] {
  const spellings = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  return texts.filter((text) => spellings.some((spelling) => text.includes(spelling)));
}

/** Fails naming the first output that holds `secret`. */
export function assertNoCanary(outputs: Record<string, string[]>, secret: string): void {
  for (const [where, texts] of Object.entries(outputs)) {
    const [leaked] = canaryLeaks(texts, secret);
    assert.equal(leaked, undefined, `The secret leaked into the ${where}:\n${leaked}`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return `unserialisable: ${(error as Error).message}`;
  }
}
