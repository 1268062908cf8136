import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import type { SourceLocation } from '../contract/resolver.js';
import type { ConnectorError } from '../errors.js';
import { childPointer } from '../secrets/secret-names.js';
import { invalidConfig } from './config-invalid.js';
import type { FieldSource, RawValue } from './connections-file.js';
import { checkValueLength, LIMITS } from './size-limits.js';
import { setOwn } from './tree.js';

/** One key of a mapping, after `<<` merge keys are applied. */
export interface Entry {
  /** The key as written. */
  key: string;
  /** Where the key is written. */
  location: SourceLocation;
  /** The value node (aliases not yet followed); null for `key:` with nothing after it. */
  value: Node | null;
}

/** Turns YAML nodes into plain values, keeping where each was written. */
export interface YamlReader {
  /** Where `node` starts. */
  locate(node: Node | null | undefined): SourceLocation;
  /** `CONFIG_INVALID` pointing at `node`. */
  invalid(node: Node | null | undefined, message: string, hint: string): ConnectorError;
  /** Follows an alias (`*name`) to its anchor's node. */
  follow(node: Node | null): Node | null;
  /** The keys of a mapping, merge keys applied: keys written in the mapping win, then earlier merges. */
  entries(map: YAMLMap): Entry[];
  /** The value of `node` (scalars as written), recording each field's position in `fields` under `pointer`. */
  read(node: Node | null, pointer: string, key: SourceLocation, fields: Map<string, FieldSource>): RawValue;
}

/** Nodes one file may expand to (aliases included): stops alias loops and "billion laughs" files. */
const MAX_NODES = 20_000;

/** A reader for `document`, parsed from `source` (the text of `file`) with `lines` counting its lines. */
export function createYamlReader(
  source: string,
  document: Document.Parsed,
  lines: LineCounter,
  file: string,
): YamlReader {
  let budget = MAX_NODES;

  const at = (offset: number): SourceLocation => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  const locate = (node: Node | null | undefined) => at(node?.range?.[0] ?? 0);

  const invalid = (node: Node | null | undefined, message: string, hint: string) =>
    invalidConfig(locate(node), message, hint);

  // Alias.resolve searches the document for its anchor each time; a file may follow one alias often.
  const anchors = new Map<Node, Node | null>();
  const follow = (node: Node | null): Node | null => {
    budget -= 1;
    if (budget < 0) {
      throw invalid(node, 'the file expands to too many values', 'Check for an alias that refers to itself');
    }
    if (!isAlias(node)) return node;
    if (!anchors.has(node)) anchors.set(node, node.resolve(document) ?? null);
    return follow(anchors.get(node)!);
  };

  const keyText = (node: unknown): string => {
    if (isScalar(node) && node.value !== null && typeof node.value !== 'object') return scalarText(node);
    throw invalid(node as Node, 'a key must be plain text', 'Write keys as plain words such as host or port');
  };

  const sourceOf = (node: Node) => source.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0);

  /** The text of a scalar: strings as parsed, numbers and booleans as written (`0123` stays `0123`). */
  const scalarText = (node: Scalar): string => {
    const text =
      typeof node.value === 'string'
        ? node.value
        : node.type === 'PLAIN'
          ? sourceOf(node)
          : String(node.value);
    checkValueLength(text, locate(node));
    return text;
  };

  /** Where a one-line string without escapes starts, so `${` errors can point at their exact column. */
  const textStart = (node: Node | null): { text?: SourceLocation } => {
    if (!isScalar(node) || typeof node.value !== 'string') return {};
    const written = sourceOf(node);
    if (node.type === 'PLAIN' && written === node.value) return { text: locate(node) };
    const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : undefined;
    if (quote && written === `${quote}${node.value}${quote}`) return { text: at((node.range?.[0] ?? 0) + 1) };
    return {};
  };

  const isMergeKey = (node: unknown) => isScalar(node) && node.type === 'PLAIN' && scalarText(node) === '<<';

  const entries = (map: YAMLMap): Entry[] => {
    const written: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        merged.push(...mergeSources(pair.value as Node | null).flatMap(entries));
      } else {
        written.push({
          key: keyText(pair.key),
          location: locate(pair.key as Node),
          value: pair.value as Node | null,
        });
      }
    }
    const seen = new Set<string>();
    for (const entry of written) {
      // YAML already refuses `a: 1` twice, but `1:` and `"1":` are two keys to it and one to us.
      if (seen.has(entry.key))
        throw invalidConfig(entry.location, `key "${entry.key}" is written twice`, 'Remove one');
      seen.add(entry.key);
    }
    return [...written, ...merged.filter((entry) => !seen.has(entry.key) && seen.add(entry.key))];
  };

  const mergeSources = (value: Node | null): YAMLMap[] => {
    const node = follow(value);
    const sources = isSeq(node) ? node.items.map((item) => follow(item as Node)) : [node];
    return sources.map((item) => {
      if (!isMap(item))
        throw invalid(value, 'a "<<" merge key takes a mapping or a list of mappings', 'Write <<: *anchor');
      return item;
    });
  };

  const read = (
    written: Node | null,
    pointer: string,
    key: SourceLocation,
    fields: Map<string, FieldSource>,
    depth = 0,
  ): RawValue => {
    if (depth > LIMITS.depth)
      throw invalid(written, 'values nested too deeply', 'Check for an alias that refers to itself');
    const node = follow(written);
    fields.set(pointer, { key, value: locate(node), ...textStart(node) });
    if (isMap(node)) {
      const result: Record<string, RawValue> = {};
      for (const entry of entries(node)) {
        const child = childPointer(pointer, entry.key);
        const value = read(entry.value, child, entry.location, fields, depth + 1);
        if (value === null) fields.delete(child);
        else setOwn(result, entry.key, value);
      }
      return result;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) =>
        read(item as Node, childPointer(pointer, index), locate(item as Node), fields, depth + 1),
      );
    }
    if (isScalar(node)) return node.value === null ? null : scalarText(node);
    return null;
  };

  return { locate, invalid, follow, entries, read };
}
