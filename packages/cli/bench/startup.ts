/**
 * Start-up of `osiris-connections`, each scenario run sequentially several times (median wall
 * time, and median CPU time, which a busy machine distorts less), side by side with a bare
 * `node -e 0` and with the `mariadb` client doing the check an operator would otherwise run by hand.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** CPU milliseconds used so far by this process's finished children (Linux: /proc; else undefined). */
function childrenCpuMs(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // cutime and cstime, fields 16 and 17 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function measure(command: string[]): { wall: number; cpu: number | undefined } | undefined {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < RUNS + 2; run++) {
    const cpuBefore = childrenCpuMs();
    const started = performance.now();
    const result = spawnSync(command[0]!, command.slice(1), { stdio: 'ignore' });
    if (result.error) return undefined;
    if (run < 2) continue;
    wall.push(performance.now() - started);
    const cpuAfter = childrenCpuMs();
    if (cpuBefore !== undefined && cpuAfter !== undefined) cpu.push(cpuAfter - cpuBefore);
  }
  return { wall: median(wall), cpu: cpu.length > 0 ? median(cpu) : undefined };
}

const results = scenarios.map(([name, command]) => [name, measure(command)] as const);
const baseline = results[0]![1]!;
const width = Math.max(...results.map(([name]) => name.length));
const columns = ['wall ms', '× node', 'CPU ms', '× node'];
console.log(`median of ${RUNS} runs each\n`);
console.log([`${'scenario'.padEnd(width)}`, ...columns.map((column) => column.padStart(8))].join('  '));
for (const [name, times] of results) {
  const cells = times
    ? [
        times.wall.toFixed(0),
        (times.wall / baseline.wall).toFixed(2),
        times.cpu?.toFixed(0) ?? '',
        times.cpu !== undefined && baseline.cpu ? (times.cpu / baseline.cpu).toFixed(2) : '',
      ]
    : ['(not available)', '', '', ''];
  console.log([name.padEnd(width), ...cells.map((cell) => cell.padStart(8))].join('  '));
}
rmSync(dir, { recursive: true, force: true });
