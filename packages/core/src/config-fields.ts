import { z } from 'zod';

/** The JSON Schema each field type describes itself with: what a user may write, not zod's union of parts. */
const FIELD_JSON_SCHEMAS = new WeakMap<object, Record<string, unknown>>();

/** Fields accepted for compatibility and ignored → why; the resolver warns when one is written. */
const IGNORED_FIELDS = new WeakMap<object, string>();

/** zod's `stringbool` spellings (matched case-insensitively). */
const BOOLEAN_STRINGS = [
  'true',
  'false',
  '1',
  '0',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'enabled',
  'disabled',
];

function described<T extends z.ZodType>(schema: T, jsonSchema: Record<string, unknown>): T {
  FIELD_JSON_SCHEMAS.set(schema, jsonSchema);
  return schema;
}

/**
 * Field types for plugin config schemas. Values interpolated from `${VAR}` arrive as strings,
 * so each accepts the YAML-native type and its string spelling (`"3306"`, `"true"`).
 */
export const field = {
  /** A boolean written as `true`/`false` or any of zod's stringbool spellings (`"yes"`, `"1"`…). */
  boolean: () =>
    described(z.union([z.boolean(), z.stringbool()]), {
      anyOf: [{ type: 'boolean' }, { type: 'string', enum: BOOLEAN_STRINGS }],
    }),
  /** An integer written as a number or a string of digits. */
  integer: () =>
    described(
      z
        .union([
          z.number(),
          z
            .string()
            .trim()
            .regex(/^-?\d+$/, 'Expected an integer')
            .transform(Number),
        ])
        .pipe(z.number().int()),
      { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\s*-?\\d+\\s*$' }] },
    ),
  /** A finite number written as a number or a numeric string. */
  number: () =>
    described(
      z
        .union([
          z.number(),
          z
            .string()
            .trim()
            .regex(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, 'Expected a number')
            .transform(Number),
        ])
        .pipe(z.number()),
      {
        anyOf: [
          { type: 'number' },
          { type: 'string', pattern: '^\\s*-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?\\s*$' },
        ],
      },
    ),
  /** A non-empty string. */
  string: () => z.string().min(1),
  /**
   * A key the original Osiris accepted that means nothing here: still validated by `schema` (default
   * anything), then dropped, and `reason` is shown as an `IGNORED_FIELD` warning by `list` and `doctor`.
   */
  ignored: (reason: string, schema: z.ZodType = z.unknown()) => {
    const ignored = schema.optional().transform(() => undefined);
    IGNORED_FIELDS.set(ignored, reason);
    return ignored;
  },
};

/** Why a field of a schema is ignored, when it was made with `field.ignored`. */
export function ignoredReason(schema: unknown): string | undefined {
  return schema !== null && typeof schema === 'object' ? IGNORED_FIELDS.get(schema) : undefined;
}

/** zod's internal definition, read structurally so a plugin's own copy of zod works too. */
interface SchemaDef {
  type: string;
  defaultValue?: unknown;
}

/**
 * JSON Schema (draft 2020-12) of a config schema as a user writes it: `field.*` types as their
 * own description, and every `.default()` kept (zod drops it where a transform sits below).
 */
export function configJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const own = FIELD_JSON_SCHEMAS.get(zodSchema);
      if (own !== undefined) {
        for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Record<string, unknown>)[key];
        Object.assign(jsonSchema, structuredClone(own));
      }
      const def = (zodSchema as unknown as { _zod: { def: SchemaDef } })._zod.def;
      if (def.type === 'default' && jsonSchema.default === undefined) {
        jsonSchema.default = JSON.parse(JSON.stringify(def.defaultValue)) as never;
      }
    },
  }) as Record<string, unknown>;
}
