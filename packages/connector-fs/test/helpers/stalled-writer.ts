/**
 * Child process of the stale-temp test: starts an atomic write of one file, writes one chunk, says
 * so on stdout, then waits (its temp file open) until the test kills it or closes its stdin.
 */
import { atomicWriteFile } from '../../src/atomic-write.js';

const [target] = process.argv.slice(2);

async function* oneChunkThenWait(): AsyncGenerator<string> {
  yield 'partial content\n';
  process.stdout.write('stalled\n');
  await new Promise(() => undefined);
}

process.stdin.on('close', () => process.exit(2));
process.stdin.resume();
setTimeout(() => process.exit(3), 60_000).unref();

await atomicWriteFile(target!, oneChunkThenWait());
