/**
 * Tests of the original Python Osiris's CSV writer (keboola/osiris
 * tests/drivers/test_filesystem_csv_writer_driver.py), ported onto the filesystem connector. Paths
 * are relative to base_dir here (the original took any path: differs on purpose, see the sandbox).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { connect, tempDir } from './helpers/temp-dir.js';

let base: string;
beforeAll(async () => {
  base = await tempDir();
});

const people = [
  { name: 'Alice', age: 30, city: 'NYC' },
  { name: 'Bob', age: 25, city: 'LA' },
  { name: 'Charlie', age: 35, city: 'Chicago' },
];

describe('test_filesystem_csv_writer_driver.py', () => {
  test('test_run_success: columns in sorted order, every row, rows_written reported', async () => {
    const files = await connect({ base_dir: base });
    const result = await files.write({
      path: 'output.csv',
      rows: [people],
      delimiter: ',',
      header: true,
      newline: 'lf',
    });
    expect(result.rowsWritten).toBe(3);
    expect(await readFile(join(base, 'output.csv'), 'utf8')).toBe(
      'age,city,name\n30,NYC,Alice\n25,LA,Bob\n35,Chicago,Charlie\n',
    );
  });

  test('test_run_custom_delimiter', async () => {
    const files = await connect({ base_dir: base });
    await files.write({ path: 'tabs.csv', rows: [people], delimiter: '\t' });
    const content = await readFile(join(base, 'tabs.csv'), 'utf8');
    expect(content).toContain('\t');
    expect(content).not.toContain(',');
  });

  test('test_run_no_header', async () => {
    const files = await connect({ base_dir: base });
    await files.write({
      path: 'no-header.csv',
      rows: [
        [
          { a: 1, b: 3 },
          { a: 2, b: 4 },
        ],
      ],
      header: false,
    });
    expect((await readFile(join(base, 'no-header.csv'), 'utf8')).split('\n')[0]).toBe('1,3');
  });

  test('test_run_creates_parent_directory', async () => {
    const files = await connect({ base_dir: base });
    await files.write({ path: 'nested/dir/output.csv', rows: [[{ col: 1 }, { col: 2 }]] });
    expect((await stat(join(base, 'nested/dir/output.csv'))).isFile()).toBe(true);
  });

  test('test_run_relative_path: relative to base_dir, which is relative to the connections file folder', async () => {
    const files = await connect({ base_dir: base });
    await files.write({ path: 'relative/output.csv', rows: [[{ col: 1 }]] });
    expect(await readFile(join(base, 'relative/output.csv'), 'utf8')).toBe('col\n1\n');
  });

  test('test_run_empty_dataframe: the file exists and is empty', async () => {
    const files = await connect({ base_dir: base });
    const result = await files.write({ path: 'empty.csv', rows: [] });
    expect(result.rowsWritten).toBe(0);
    expect(await readFile(join(base, 'empty.csv'), 'utf8')).toBe('');
  });
});
