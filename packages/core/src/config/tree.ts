import { childPointer } from '../secrets/secret-names.js';

/** Sets an own enumerable property, so a key named `__proto__` stays data instead of changing the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An object literal or `Object.create(null)`: what config trees are made of. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Copies arrays and plain objects, replacing every other value by `fn(value, JSON Pointer)`. */
export function mapLeaves(
  value: unknown,
  fn: (leaf: unknown, pointer: string) => unknown,
  pointer = '',
): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => mapLeaves(item, fn, childPointer(pointer, index)));
  if (!isPlainObject(value)) return fn(value, pointer);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    setOwn(copy, key, mapLeaves(item, fn, childPointer(pointer, key)));
  return copy;
}
