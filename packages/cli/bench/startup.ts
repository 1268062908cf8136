/**
 * Start-up of `osiris-connections`, each scenario run sequentially several times (median wall
 * time), side by side with a bare `node -e 0` and with the `mariadb` client doing the check an
 * operator would otherwise run by hand.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/osiris-connections.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const dir = mkdtempSync(join(tmpdir(), 'osiris-cli-bench-'));
const fsOnly = join(dir, 'fs-only.yaml');
const mixed = join(dir, 'mixed.yaml');
writeFileSync(fsOnly, `connections:\n  filesystem:\n    out:\n      base_dir: ${join(dir, 'out')}\n`);
writeFileSync(
  mixed,
  `connections:
  filesystem:
    out:
      base_dir: ${join(dir, 'out')}
  mysql:
    main:
      host: 127.0.0.1
      username: root
  supabase:
    api:
      url: http://127.0.0.1:9
      key: not-a-real-key
`,
);

const cli = (...args: string[]) => [process.execPath, BIN, ...args];
const scenarios: [string, string[]][] = [
  ['node -e 0 (baseline)', [process.execPath, '-e', '0']],
  ['osiris-connections --version', cli('--version')],
  ['osiris-connections --help', cli('--help')],
  ['doctor, filesystem-only file', cli('doctor', '--config', fsOnly)],
  ['list, file with all three families', cli('list', '--config', mixed)],
  ['doctor @mysql.main (real MariaDB)', cli('doctor', '@mysql.main', '--config', mixed)],
  [
    "mariadb -h 127.0.0.1 -u root -e 'SELECT VERSION()'",
    ['mariadb', '-h', '127.0.0.1', '-u', 'root', '-e', 'SELECT VERSION()'],
  ],
];

function median(command: string[]): number | undefined {
  const times: number[] = [];
  for (let run = 0; run < RUNS + 2; run++) {
    const started = performance.now();
    const result = spawnSync(command[0]!, command.slice(1), { stdio: 'ignore' });
    if (result.error) return undefined;
    if (run >= 2) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const results = scenarios.map(([name, command]) => [name, median(command)] as const);
const baseline = results[0]![1]!;
const width = Math.max(...results.map(([name]) => name.length));
console.log(`median of ${RUNS} runs each\n`);
console.log(`${'scenario'.padEnd(width)}  ${'ms'.padStart(6)}  ${'× node -e 0'.padStart(11)}`);
for (const [name, ms] of results) {
  const shown = ms === undefined ? '(not available)'.padStart(6) : ms.toFixed(0).padStart(6);
  const ratio = ms === undefined ? '' : (ms / baseline).toFixed(2).padStart(11);
  console.log(`${name.padEnd(width)}  ${shown}  ${ratio}`);
}
rmSync(dir, { recursive: true, force: true });
