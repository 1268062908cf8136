/** How a logical type reads in messages and docs: `decimal(12,2)`, `integer(16, unsigned)`, `enum('a','b')`. */
import type { LogicalType } from '../contract/types.js';

export function describeType(type: LogicalType): string {
  switch (type.kind) {
    case 'string':
    case 'bytes':
      return type.maxLength === undefined ? type.kind : `${type.kind}(${type.maxLength})`;
    case 'integer':
      return `integer(${type.bits}${type.unsigned ? ', unsigned' : ''})`;
    case 'decimal':
      return type.precision === undefined ? 'decimal' : `decimal(${type.precision},${type.scale ?? 0})`;
    case 'float':
      return `float(${type.bits})`;
    case 'time':
    case 'datetime':
    case 'timestamp':
      return `${type.kind}(${type.precision})`;
    case 'enum':
    case 'set':
      return `${type.kind}(${type.members.map((member) => `'${member}'`).join(',')})`;
    default:
      return type.kind;
  }
}
