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

process.stdout.write('writing\n');
for (let version = 1; ; version++) {
  await atomicWriteFile(target!, chunksOf(crashContent(version, size)));
}
