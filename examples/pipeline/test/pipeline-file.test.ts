import { isConnectorError } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { parsePipeline } from '../src/pipeline-file.js';

const VALID = `name: orders
steps:
  - name: to-csv
    extract:
      connection: '@mysql.demo'
      table: orders
      orderBy: [id]
    fallback:
      connection: '@filesystem.samples'
      path: orders.csv
    write:
      connection: '@filesystem.out'
      path: orders.csv
`;

/** The error `parsePipeline` throws for `text`, as `code file:line:col message`. */
function problem(text: string): string {
  try {
    parsePipeline(text, 'pipeline.yaml');
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    return `${error.code} ${error.location} ${error.message}`;
  }
  throw new Error('expected the pipeline to be refused');
}

describe('pipeline file', () => {
  test('a valid file: steps with connection and the connector’s own options', () => {
    const pipeline = parsePipeline(VALID, 'pipeline.yaml');
    expect(pipeline.name).toBe('orders');
    expect(pipeline.steps[0]).toEqual({
      name: 'to-csv',
      extract: { connection: '@mysql.demo', table: 'orders', orderBy: ['id'] },
      fallback: { connection: '@filesystem.samples', path: 'orders.csv' },
      write: { connection: '@filesystem.out', path: 'orders.csv' },
    });
  });

  test('the example pipeline of this package is valid', async () => {
    const { loadPipeline } = await import('../src/pipeline-file.js');
    const pipeline = await loadPipeline(new URL('../pipeline.yaml', import.meta.url).pathname);
    expect(pipeline.steps.map((step) => step.name)).toEqual([
      'orders-to-csv',
      'csv-to-supabase',
      'mysql-to-postgres',
    ]);
  });

  test.each([
    [
      'malformed YAML',
      'steps:\n  - name: a\n   extract: {}\n',
      /^PIPELINE_INVALID pipeline\.yaml:3:\d+ Malformed YAML/,
    ],
    [
      'a duplicate key',
      'steps: []\nsteps: []\n',
      /^PIPELINE_INVALID pipeline\.yaml:2:1 Malformed YAML: .*[Uu]nique/,
    ],
    [
      'no steps',
      'name: x\nsteps: []\n',
      /^PIPELINE_INVALID pipeline\.yaml:2:8 Invalid pipeline: steps: A pipeline needs at least one step$/,
    ],
    [
      'an unknown key in a step, pointing at it',
      VALID.replace('    write:', '    wirte:\n      connection: "@a.b"\n    write:'),
      /^PIPELINE_INVALID pipeline\.yaml:11:5 Invalid pipeline: steps\[0\]: Unrecognized key: "wirte"$/,
    ],
    [
      'a reference without @',
      VALID.replace("'@filesystem.out'", 'filesystem.out'),
      /^PIPELINE_INVALID pipeline\.yaml:12:19 Invalid pipeline: steps\[0\]\.write\.connection: Expected a connection reference such as "@mysql\.main"$/,
    ],
    [
      'a step without write',
      'steps:\n  - name: a\n    extract:\n      connection: "@a.b"\n',
      /^PIPELINE_INVALID pipeline\.yaml:2:5 Invalid pipeline: steps\[0\]\.write: /,
    ],
    [
      'two steps with one name',
      `${VALID}${VALID.split('steps:\n')[1]}`,
      /^PIPELINE_INVALID pipeline\.yaml:14:11 Invalid pipeline: steps\[1\]\.name: Duplicate step name "to-csv"$/,
    ],
  ])('%s', (_, text, expected) => {
    expect(problem(text)).toMatch(expected);
  });
});
