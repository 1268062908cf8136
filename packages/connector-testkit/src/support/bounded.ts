/** A wait that fails with a named explanation, not the runner's bare timeout. */
import assert from 'node:assert/strict';

/** The promise's value; an assertion failure saying `explanation` when it has not settled within `ms`. */
export async function bounded<T>(promise: Promise<T>, ms: number, explanation: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new assert.AssertionError({ message: explanation })), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
