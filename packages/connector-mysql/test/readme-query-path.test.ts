import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const section = readme.slice(readme.indexOf('## How a query runs'), readme.indexOf('## Behaviour'));

/** Where each class the section names is defined. */
const CLASSES: Record<string, string> = {
  MysqlConnection: 'src/connection.ts',
  Executor: 'src/executor.ts',
  ConnectionOpener: 'src/connection-opener.ts',
  ReadOnlyLayers: 'src/read-only/server-layers.ts',
  ServerConnection: 'src/server-connection.ts',
};

test('"How a query runs" names only files that exist and methods their classes have', () => {
  expect(section.length).toBeGreaterThan(500);
  const files = [...section.matchAll(/`(src\/[\w/.-]+\.ts)`/g)].map((match) => match[1] as string);
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) expect(existsSync(new URL(file, root)), file).toBe(true);
  const methods = [...section.matchAll(/`([A-Z]\w+)\.(\w+)(?:\([^`]*\))?`/g)];
  expect(methods.length).toBeGreaterThan(5);
  for (const [, owner, method] of methods) {
    const file = CLASSES[owner as string];
    expect(file, `${owner} is one of the classes the section may name`).toBeDefined();
    const source = readFileSync(new URL(file as string, root), 'utf8');
    expect(source, `${file} defines class ${owner}`).toMatch(new RegExp(`export class ${owner}\\b`));
    expect(source, `${owner} has ${method}`).toMatch(
      new RegExp(`^  (?:async |private |readonly )*${method}[<(]`, 'm'),
    );
  }
});

test('the three files a query goes through are the ones connection.ts, executor.ts and server-connection.ts import', () => {
  const connection = readFileSync(new URL('src/connection.ts', root), 'utf8');
  expect(connection).toMatch(
    /this\.executor\.run\(limits, async \(connection\) => \{\n\s+const statement = await this\.guard/,
  );
  expect(connection).toMatch(/return connection\.run\(statement\.sql/);
  const executor = readFileSync(new URL('src/executor.ts', root), 'utf8');
  expect(executor).toMatch(/withTimeout\(step/);
  expect(executor).toMatch(/this\.readOnly\.inTransaction\(connection/);
  expect(executor).toMatch(/\.killQuery\(connection\.threadId\)/);
});
