/**
 * Runs a pipeline file: `tsx examples/pipeline/src/cli.ts <pipeline.yaml> [--config osiris_connections.yaml]`.
 * Exit 0 when every step ran (or was skipped), 1 when a connection or a step failed, 2 when the
 * pipeline or connections file is invalid.
 */
import { parseArgs } from 'node:util';
import { renderError } from '@osiris/cli';
import { isConnectorError } from '@osiris/core';
import { runPipelineFile } from './runner.js';

const { values, positionals } = parseArgs({
  options: { config: { type: 'string', short: 'c' } },
  allowPositionals: true,
});

const [pipeline] = positionals;
if (pipeline === undefined) {
  console.error('Usage: tsx examples/pipeline/src/cli.ts <pipeline.yaml> [--config osiris_connections.yaml]');
  process.exit(2);
}

try {
  const outcome = await runPipelineFile({
    pipeline,
    connections: values.config,
    log: process.stdout,
  });
  process.exitCode = outcome.ok ? 0 : 1;
} catch (error) {
  if (!isConnectorError(error)) throw error;
  console.error(renderError(error));
  process.exitCode = error.category === 'config' ? 2 : 1;
}
