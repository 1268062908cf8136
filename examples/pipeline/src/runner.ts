import { renderDoctorReport } from '@osiris/cli';
import filesystem from '@osiris/connector-fs';
import mysql from '@osiris/connector-mysql';
import postgres from '@osiris/connector-postgres';
import supabase from '@osiris/connector-supabase';
import { createRegistry, createResolver, type Env, loadConnections } from '@osiris/core';
import { loadPipeline } from './pipeline-file.js';
import type { ProgressStream } from './progress.js';
import { type PipelineOutcome, runPipeline } from './run-pipeline.js';
import { renderSummary } from './summary.js';

export interface RunPipelineFileOptions {
  /** The pipeline YAML. */
  pipeline: string;
  /** The connections file (default: core's lookup from `cwd`). */
  connections?: string;
  cwd?: string;
  env?: Env;
  /** Connections known to be down (reference → why); see `runPipeline`. */
  unavailable?: ReadonlyMap<string, string>;
  /** Where progress, the doctor report and the summary are printed. */
  log: ProgressStream;
}

/** The runner as a program uses it: files in, a report on `log`, the outcome back. */
export async function runPipelineFile(options: RunPipelineFileOptions): Promise<PipelineOutcome> {
  const pipeline = await loadPipeline(options.pipeline);
  const connections = await loadConnections({
    path: options.connections,
    cwd: options.cwd,
    env: options.env,
  });
  const registry = createRegistry([filesystem, mysql, postgres, supabase]);
  const resolver = createResolver({ registry, connections });
  const { log } = options;
  log.write(
    `pipeline ${pipeline.name ?? options.pipeline}: ${pipeline.steps.length} steps, connections from ${connections.path}\n`,
  );
  const outcome = await runPipeline({ pipeline, registry, resolver, unavailable: options.unavailable, log });
  if (outcome.steps.length === 0) {
    log.write(
      `A connection the pipeline needs does not work; nothing ran:\n${renderDoctorReport(outcome.doctor.results)}\n`,
    );
  } else {
    log.write(`\n${renderSummary(outcome.steps)}\n`);
  }
  return outcome;
}
