/**
 * Sets `key` as an own enumerable property, also when it is `__proto__`, which plain assignment would
 * turn into a change of prototype (data from a file must never do that).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
