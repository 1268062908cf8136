import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { API_VERSION, defineConnector, field } from '../src/index.js';

describe('jsonSchema()', () => {
  const plugin = defineConnector({
    family: 'kv',
    apiVersion: API_VERSION,
    configSchema: z.strictObject({
      host: z.string().default('localhost'),
      port: field.integer().default(6379),
      db: field.integer().pipe(z.number().int().min(0)).default(0),
      tls: field.boolean().default(false),
      ratio: field.number().default(0.5),
      name: field.string().optional(),
    }),
    capabilities: [],
    connect: async () => ({ check: async () => ({ message: 'ok' }), close: async () => {} }),
  });
  const properties = plugin.jsonSchema().properties as Record<string, Record<string, unknown>>;

  test('keeps every default, field.integer and field.boolean included', () => {
    expect(properties.host?.default).toBe('localhost');
    expect(properties.port?.default).toBe(6379);
    expect(properties.db?.default).toBe(0);
    expect(properties.tls?.default).toBe(false);
    expect(properties.ratio?.default).toBe(0.5);
  });

  test('types a boolean as a boolean or one of its string spellings, an integer as an integer or digits', () => {
    expect(properties.tls?.anyOf).toEqual([
      { type: 'boolean' },
      { type: 'string', enum: expect.arrayContaining(['true', 'false', 'yes', 'no']) },
    ]);
    expect(properties.port?.anyOf).toEqual([
      { type: 'integer' },
      { type: 'string', pattern: '^\\s*-?\\d+\\s*$' },
    ]);
    // The string spellings the schema lists are the ones the field accepts.
    const tls = field.boolean();
    const spellings = (properties.tls?.anyOf as { enum?: string[] }[] | undefined)?.[1]?.enum ?? [];
    expect(spellings.length).toBeGreaterThan(4);
    for (const spelling of spellings) {
      expect(tls.safeParse(spelling).success, spelling).toBe(true);
    }
  });
});
