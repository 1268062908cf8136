import { inspect } from 'node:util';
import { isPlainObject } from '../config/tree.js';
import { maskConfig } from './mask.js';
import { childPointer } from './secret-names.js';

/**
 * Makes `config` and every plain object inside it print masked under `JSON.stringify` and
 * `util.inspect` (non-enumerable `toJSON` and `inspect.custom`), while its properties keep their
 * real values for the connector. Returns `config`.
 */
export function printMasked<T>(config: T, secrets: readonly string[], at = ''): T {
  if (Array.isArray(config)) {
    for (const [index, item] of config.entries()) printMasked(item, secrets, childPointer(at, index));
  } else if (isPlainObject(config)) {
    const masked = () => maskConfig(config, { secrets, placeholders: false }, at);
    Object.defineProperties(config, {
      toJSON: { value: masked, configurable: true },
      [inspect.custom]: {
        value: (_depth: number, options: object) => inspect(masked(), options),
        configurable: true,
      },
    });
    for (const [key, value] of Object.entries(config)) printMasked(value, secrets, childPointer(at, key));
  }
  return config;
}
