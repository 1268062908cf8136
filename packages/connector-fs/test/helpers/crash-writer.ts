/**
 * Child process of the crash-safety test: rewrites one file atomically, version after version, in
 * small chunks, until the test kills it with SIGKILL.
 */
import { setImmediate } from 'node:timers/promises';
import { atomicWriteFile } from '../../src/atomic-write.js';
import { crashContent } from './crash-content.js';

const [target, sizeText] = process.argv.slice(2);
const size = Number(sizeText);
const CHUNK = 16 * 1024;

async function* chunksOf(text: string): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += CHUNK) {
    await setImmediate();
    yield text.slice(start, start + CHUNK);
  }
}

// Never outlive the test: stop when the parent goes away (its end of stdin closes) or after a minute.
process.stdin.on('close', () => process.exit(2));
process.stdin.resume();
setTimeout(() => process.exit(3), 60_000).unref();

process.stdout.write('writing\n');
for (let version = 1; ; version++) {
  await atomicWriteFile(target!, chunksOf(crashContent(version, size)));
}
