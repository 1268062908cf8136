import { ConnectorError } from '../errors.js';
import type { Env } from './connections-file.js';
import {
  describeSite,
  type Expression,
  locate,
  parseTemplate,
  referencePrefix,
  type TemplatePart,
  type TextSite,
} from './template.js';

/** One variable an interpolation looked up. */
export interface VariableRead {
  /** The expression that read it. */
  expression: Expression;
  /** Its value, when set (kept inside core: only to register secrets). */
  value: string | undefined;
  /** Whether the expression's default was used instead. */
  defaulted: boolean;
}

/** The result of interpolating one string. */
export interface Expansion {
  /** The interpolated string. */
  value: string;
  /** The variables read, in evaluation order. */
  reads: VariableRead[];
  /** How the value was made: literally, from one variable, from one expression's default, or mixed. */
  from: 'file' | 'env' | 'default' | 'interpolated';
}

/** Looks `name` up as an own property, so `${constructor}` never finds `Object.prototype.constructor`. */
export const lookup = (env: Env, name: string): string | undefined =>
  Object.hasOwn(env, name) ? env[name] : undefined;

function missing(expression: Expression, value: string | undefined, site: TextSite | undefined): never {
  const { name, operator } = expression;
  const required = operator === ':?' || operator === '?';
  const state = value === undefined ? 'not set' : 'empty';
  const location = locate(site, expression.start);
  const where = describeSite(site, location);
  const reason =
    required && expression.wordSource !== ''
      ? `${name} is ${state}: ${expression.wordSource}`
      : `environment variable ${name} is ${state}`;
  throw new ConnectorError(`${referencePrefix(site)}${reason}${where ? ` (${where})` : ''}`, {
    code: 'MISSING_ENV',
    category: 'config',
    hint: `Set ${name} in the environment or in a .env file next to the connections file, or give a default: \${${name}:-value}`,
    reference: site?.reference,
    ...location,
    details: { variable: name, field: site?.field, reference: site?.reference },
  });
}

function evaluate(
  parts: readonly TemplatePart[],
  env: Env,
  site: TextSite | undefined,
  reads: VariableRead[],
) {
  let result = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      result += part;
      continue;
    }
    const value = lookup(env, part.name);
    const absent = value === undefined || (part.operator.startsWith(':') && value === '');
    const read: VariableRead = { expression: part, value, defaulted: false };
    reads.push(read);
    if (!absent) {
      result += value;
    } else if (part.operator === ':-' || part.operator === '-') {
      read.defaulted = true;
      result += evaluate(part.word, env, site, reads);
    } else {
      missing(part, value, site);
    }
  }
  return result;
}

/** Interpolates one string, saying which variables it read; throws `CONFIG_INVALID` or `MISSING_ENV`. */
export function expand(text: string, env: Env, site?: TextSite): Expansion {
  const parts = parseTemplate(text, site);
  const reads: VariableRead[] = [];
  const value = evaluate(parts, env, site, reads);
  const single = parts.length === 1 && typeof parts[0] !== 'string';
  const from =
    reads.length === 0 ? 'file' : !single ? 'interpolated' : reads[0]!.defaulted ? 'default' : 'env';
  return { value, reads, from };
}

/** Replaces `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}` and `$${` in `text`. */
export function interpolate(text: string, env: Env = process.env): string {
  return expand(text, env).value;
}
