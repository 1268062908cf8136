import { ConnectorError } from './errors.js';

/** Throws `INVALID_OPTIONS` naming the first rule (`[holds, problem]`) an options object breaks. */
export function checkOptions(what: string, rules: readonly [boolean, string][], example: string): void {
  const broken = rules.find(([holds]) => !holds);
  if (broken === undefined) return;
  throw new ConnectorError(`Invalid ${what} options: ${broken[1]}`, {
    code: 'INVALID_OPTIONS',
    category: 'internal',
    hint: `For example ${example}`,
  });
}
