import { readFile } from 'node:fs/promises';
import { ConnectorError } from '@osiris/core';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';

const reference = z
  .string()
  .regex(/^@[a-z][a-z0-9_-]*(\.[^.\s]+)?$/, 'Expected a connection reference such as "@mysql.main"');

/** One side of a step: the connection, and the request its connector takes (`table`, `path`…). */
const endpoint = z.looseObject({ connection: reference });

const step = z.strictObject({
  /** Shown in progress lines and the summary. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'Use letters, digits, "-", "_" and "."'),
  /** Where rows come from: `connection` plus the source connector's read request. */
  extract: endpoint,
  /** Read from here instead when the extract connection is known to be unavailable. */
  fallback: endpoint.optional(),
  /** Where rows go: `connection` plus the sink connector's write request. */
  write: endpoint,
});

const pipelineSchema = z
  .strictObject({
    name: z.string().optional(),
    steps: z.array(step).min(1, 'A pipeline needs at least one step'),
  })
  .superRefine((pipeline, context) => {
    const seen = new Set<string>();
    pipeline.steps.forEach((each, index) => {
      if (seen.has(each.name)) {
        context.addIssue({
          code: 'custom',
          path: ['steps', index, 'name'],
          message: `Duplicate step name "${each.name}"`,
        });
      }
      seen.add(each.name);
    });
  });

export type Pipeline = z.output<typeof pipelineSchema>;
export type Step = Pipeline['steps'][number];
export type Endpoint = Step['extract'];

/** Reads and validates a pipeline file; every problem is a `PIPELINE_INVALID` error pointing at its line. */
export async function loadPipeline(file: string): Promise<Pipeline> {
  return parsePipeline(await readFile(file, 'utf8'), file);
}

export function parsePipeline(text: string, file: string): Pipeline {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const locate = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const [yamlError] = document.errors;
  if (yamlError) {
    throw new ConnectorError(`Malformed YAML: ${yamlError.message.split('\n')[0]}`, {
      code: 'PIPELINE_INVALID',
      category: 'config',
      hint: 'Fix the YAML syntax at the position shown',
      ...locate(yamlError.pos[0]),
    });
  }
  const parsed = pipelineSchema.safeParse(document.toJS());
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const path = issue?.path ?? [];
  const where = path.length > 0 ? `${formatPath(path)}: ` : '';
  throw new ConnectorError(`Invalid pipeline: ${where}${issue?.message ?? 'invalid'}`, {
    code: 'PIPELINE_INVALID',
    category: 'config',
    hint: 'A pipeline is { name?, steps: [{ name, extract: { connection, … }, write: { connection, … }, fallback? }] }',
    details: { issues: parsed.error.issues.map((each) => `${formatPath(each.path)}: ${each.message}`) },
    ...locate(issueOffset(document.contents, issue)),
  });
}

/** Where in the text an issue is: an unknown key itself, else the deepest node on its path. */
function issueOffset(root: unknown, issue: z.core.$ZodIssue | undefined): number {
  let node = root as Node | undefined;
  for (const key of issue?.path ?? []) {
    const child = isMap(node) || isSeq(node) ? (node.get(key as never, true) as Node | undefined) : undefined;
    if (child === undefined) break;
    node = child;
  }
  if (issue?.code === 'unrecognized_keys' && isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === issue.keys[0]);
    if (isScalar(pair?.key)) return pair.key.range?.[0] ?? 0;
  }
  return node?.range?.[0] ?? 0;
}

const formatPath = (path: readonly PropertyKey[]) =>
  path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index > 0 ? '.' : ''}${String(key)}`))
    .join('');
