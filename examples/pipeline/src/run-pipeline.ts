import {
  type Connection,
  type ConnectionManager,
  ConnectorError,
  createConnectionManager,
  type DoctorReport,
  doctor,
  type Registry,
  type Resolver,
  toConnectorError,
  type WriteResult,
} from '@osiris/core';
import type { Endpoint, Pipeline, Step } from './pipeline-file.js';
import { createProgressLine, formatRate, type ProgressStream } from './progress.js';

export interface RunPipelineOptions {
  pipeline: Pipeline;
  registry: Registry;
  resolver: Resolver;
  /**
   * Connections known to be down (reference as written in the pipeline → why). A step reading
   * from one reads its `fallback` instead when it has one; otherwise the step is skipped.
   */
  unavailable?: ReadonlyMap<string, string>;
  /** Step lines go here; on a terminal each step also gets a live progress line. */
  log: ProgressStream;
}

/** What happened to one step. */
export interface StepOutcome {
  name: string;
  status: 'ok' | 'skipped' | 'failed';
  /** The connection rows came from (the fallback's when it was used). */
  from: string;
  to: string;
  /** Why the step was skipped or failed. */
  reason?: string;
  result?: WriteResult;
  error?: ConnectorError;
}

export interface PipelineOutcome {
  /** False when a needed connection failed doctor (then no step ran) or a step failed. */
  ok: boolean;
  /** Doctor's report on the connections the steps needed. */
  doctor: DoctorReport;
  steps: StepOutcome[];
}

/**
 * Checks every connection the steps need with `doctor`, then runs the steps in order, each
 * streaming batches of rows from its source into its sink. A failing step stops the run.
 * Every connection is closed when the run ends, however it ends (`await using`).
 */
export async function runPipeline(options: RunPipelineOptions): Promise<PipelineOutcome> {
  const { pipeline, registry, resolver, log } = options;
  const plans = pipeline.steps.map((step) => planStep(step, options.unavailable ?? new Map()));
  const needed = plans.flatMap(({ step, source }) =>
    source ? [source.connection, step.write.connection] : [],
  );

  await using manager = createConnectionManager({ registry, resolver });
  const health = await doctor({ manager, references: [...new Set(needed)] });
  if (!health.ok) return { ok: false, doctor: health, steps: [] };

  const steps: StepOutcome[] = [];
  for (const { step, source, skipReason } of plans) {
    const outcome: StepOutcome = {
      name: step.name,
      status: 'skipped',
      from: (source ?? step.extract).connection,
      to: step.write.connection,
    };
    steps.push(outcome);
    if (source === undefined || steps.some((earlier) => earlier.status === 'failed')) {
      outcome.reason = skipReason ?? 'an earlier step failed';
      log.write(`  – ${step.name}  skipped: ${outcome.reason}\n`);
      continue;
    }
    try {
      outcome.result = await runStep(manager, step, source, log);
      outcome.status = 'ok';
      const { rowsWritten, durationMs } = outcome.result;
      log.write(
        `  ✓ ${step.name}  ${outcome.from} → ${outcome.to}  ${formatRate(rowsWritten, durationMs)}\n`,
      );
    } catch (error) {
      outcome.status = 'failed';
      outcome.error = toConnectorError(error, { code: 'STEP_FAILED', category: 'internal' });
      outcome.reason = `${outcome.error.code}: ${outcome.error.message}`;
      log.write(
        `  ✗ ${step.name}  ${outcome.reason}\n${outcome.error.hint ? `    hint: ${outcome.error.hint}\n` : ''}`,
      );
    }
  }
  return { ok: steps.every((step) => step.status !== 'failed'), doctor: health, steps };
}

interface StepPlan {
  step: Step;
  /** Where the rows come from; undefined when the step is skipped. */
  source: Endpoint | undefined;
  skipReason?: string;
}

function planStep(step: Step, unavailable: ReadonlyMap<string, string>): StepPlan {
  const sinkDown = unavailable.get(step.write.connection);
  if (sinkDown !== undefined)
    return { step, source: undefined, skipReason: `${step.write.connection} ${sinkDown}` };
  const sourceDown = unavailable.get(step.extract.connection);
  if (sourceDown === undefined) return { step, source: step.extract };
  if (step.fallback && !unavailable.has(step.fallback.connection)) return { step, source: step.fallback };
  return { step, source: undefined, skipReason: `${step.extract.connection} ${sourceDown}` };
}

async function runStep(manager: ConnectionManager, step: Step, source: Endpoint, log: ProgressStream) {
  const { connection: from, ...readRequest } = source;
  const { connection: to, ...writeRequest } = step.write;
  const read = capability(await manager.get(from), 'read', from);
  const write = capability(await manager.get(to), 'write', to);
  const progress = createProgressLine(log, step.name);
  try {
    return await write({
      ...writeRequest,
      rows: read(readRequest),
      onProgress: ({ rows, elapsedMs }) => progress.update(rows, elapsedMs),
    });
  } finally {
    progress.clear();
  }
}

/** The connection's `read` or `write`, or an `unsupported` error naming the connection. */
function capability<K extends 'read' | 'write'>(connection: Connection, member: K, reference: string) {
  const method = connection[member];
  if (typeof method !== 'function') {
    throw new ConnectorError(`${reference} cannot ${member}`, {
      code: 'UNSUPPORTED',
      category: 'unsupported',
      reference,
      hint: `Use a connection whose connector can ${member} here`,
    });
  }
  return method.bind(connection) as NonNullable<Connection[K]>;
}
