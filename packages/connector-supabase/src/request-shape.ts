/**
 * Local validation of read and write requests: an unknown key or a missing table is refused with
 * `REQUEST_INVALID` before anything is sent (a typo must not become `POST /rest/v1/undefined`).
 */
import { ConnectorError } from '@osiris/core';
import { z } from 'zod';
import type { SupabaseReadRequest } from './read.js';
import type { SupabaseWriteRequest } from './write.js';

/** Members of the core data contract: checked by the code that uses them, only allowed here. */
const contract = { signal: z.unknown().optional(), batchSize: z.unknown().optional() };

const table = z.string('Expected the table name').min(1, 'Expected the table name');
const columnList = z.union([z.string().min(1), z.array(z.string().min(1))]).optional();

const readShape = z.strictObject({
  ...contract,
  table,
  columns: z.array(z.string().min(1)).optional(),
  filters: z.unknown().optional(),
  orderBy: z.unknown().optional(),
  uniqueOrder: z.boolean().optional(),
  limit: z.int().min(0).optional(),
});

const writeShape = z.strictObject({
  ...contract,
  rows: z.unknown(),
  columns: z.unknown().optional(),
  onProgress: z.unknown().optional(),
  table,
  mode: z.enum(['append', 'upsert', 'replace']).optional(),
  primaryKey: columnList,
  onConflict: columnList,
  ignoreDuplicates: z.boolean().optional(),
  createIfMissing: z.boolean().optional(),
});

/** The read request, unchanged, once its shape is valid. */
export function validReadRequest(request: SupabaseReadRequest): SupabaseReadRequest {
  return checked(readShape, request, 'read');
}

/** The write request, unchanged, once its shape is valid. */
export function validWriteRequest(request: SupabaseWriteRequest): SupabaseWriteRequest {
  return checked(writeShape, request, 'write');
}

function checked<T>(shape: z.ZodType, request: T, action: 'read' | 'write'): T {
  const result = shape.safeParse(request);
  if (result.success) return request;
  const problems = result.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`
      : `${issue.path.join('.') || 'request'}: ${issue.message}`,
  );
  throw new ConnectorError(`Invalid Supabase ${action} request: ${problems.join('; ')}`, {
    code: 'REQUEST_INVALID',
    category: 'config',
    hint: `Nothing was sent. Allowed options: ${Object.keys((shape as z.ZodObject).shape).join(', ')}`,
    details: { execution: 'no' },
  });
}
