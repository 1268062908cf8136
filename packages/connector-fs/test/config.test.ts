import { fsConfigSchema, fsConnector } from '@osiris/connector-fs';
import { describe, expect, test } from 'vitest';

describe('config', () => {
  test('defaults: the original’s CSV settings, date-times as their canonical ISO 8601 text (no date_format)', () => {
    expect(fsConfigSchema.parse({ base_dir: './out' })).toEqual({
      base_dir: './out',
      create_dirs: true,
      delimiter: ',',
      newline: 'lf',
      header: true,
      encoding: 'utf-8',
      quoting: 'minimal',
      null_value: '',
      sort_columns: true,
    });
  });

  test('values interpolated from environment variables arrive as strings and are coerced', () => {
    const config = fsConfigSchema.parse({
      base_dir: '/data',
      create_dirs: 'false',
      header: 'no',
      sort_columns: '1',
    });
    expect(config).toMatchObject({ create_dirs: false, header: false, sort_columns: true });
  });

  test('unknown keys, a missing base_dir and impossible settings are refused, naming the field', () => {
    const failures: Array<[Record<string, unknown>, string]> = [
      [{ base_dir: '/d', delimeter: ';' }, 'delimeter'],
      [{}, 'base_dir'],
      [{ base_dir: '' }, 'base_dir'],
      [{ base_dir: '/d', delimiter: '"' }, 'delimiter'],
      [{ base_dir: '/d', newline: 'cr' }, 'newline'],
      [{ base_dir: '/d', date_format: '%Y-%q' }, 'date_format'],
      [{ base_dir: '/d', timezone: 'Europe/Atlantis' }, 'timezone'],
    ];
    for (const [config, field] of failures) {
      const result = fsConfigSchema.safeParse(config);
      expect(result.success, JSON.stringify(config)).toBe(false);
      expect(JSON.stringify(result.error?.issues), JSON.stringify(config)).toContain(field);
    }
  });

  test('the plugin: family filesystem, capabilities, JSON Schema with base_dir required, a summary', () => {
    expect(fsConnector.family).toBe('filesystem');
    expect(fsConnector.capabilities).toEqual(['read', 'write', 'discover']);
    const schema = fsConnector.jsonSchema();
    expect(schema.required).toEqual(['base_dir']);
    expect(Object.keys(schema.properties as object)).toContain('quoting');
    expect(fsConnector.summarize?.(fsConfigSchema.parse({ base_dir: '/data/out' }))).toBe('/data/out');
  });
});
