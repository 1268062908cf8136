/**
 * Whether every value of one logical type arrives unchanged in a column of another: when it does, a sink
 * passes the source's canonical values through without looking at them; otherwise it checks each value.
 */
import type { LogicalType } from '../contract/types.js';

/** True when every canonical value of `source` is a canonical value of `target` as it is. */
export function typeFits(source: LogicalType, target: LogicalType): boolean {
  switch (target.kind) {
    case 'string':
      // Text-valued kinds pass into unbounded text unchanged; numbers would need converting.
      return target.maxLength === undefined
        ? TEXT_KINDS.has(source.kind)
        : source.kind === 'string' && source.maxLength !== undefined && source.maxLength <= target.maxLength;
    case 'integer':
      return (
        source.kind === 'integer' &&
        source.bits <= 32 === target.bits <= 32 &&
        minOf(source) >= minOf(target) &&
        maxOf(source) <= maxOf(target)
      );
    case 'decimal':
      if (source.kind !== 'decimal') return false;
      if (target.precision === undefined) return true;
      return (
        source.precision !== undefined &&
        (source.scale ?? 0) === (target.scale ?? 0) &&
        source.precision <= target.precision
      );
    case 'float':
      return source.kind === 'float' && source.bits <= target.bits;
    case 'time':
    case 'datetime':
    case 'timestamp':
      // Canonical text has exactly the precision's digits, so only equal precisions pass unchanged.
      return source.kind === target.kind && source.precision === target.precision;
    case 'bytes':
      return (
        source.kind === 'bytes' &&
        (target.maxLength === undefined ||
          (source.maxLength !== undefined && source.maxLength <= target.maxLength))
      );
    case 'enum':
      return source.kind === 'enum' && source.members.every((member) => target.members.includes(member));
    case 'set':
      return (
        source.kind === 'set' &&
        source.members.length <= target.members.length &&
        source.members.every((member, index) => target.members[index] === member)
      );
    default:
      return source.kind === target.kind;
  }
}

const TEXT_KINDS = new Set<LogicalType['kind']>([
  'string',
  'decimal',
  'date',
  'time',
  'datetime',
  'timestamp',
  'json',
  'enum',
  'set',
]);

function minOf(type: { bits: number; unsigned: boolean }): bigint {
  return type.unsigned ? 0n : -(1n << BigInt(type.bits - 1));
}

function maxOf(type: { bits: number; unsigned: boolean }): bigint {
  return type.unsigned ? (1n << BigInt(type.bits)) - 1n : (1n << BigInt(type.bits - 1)) - 1n;
}
