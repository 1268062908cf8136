import { z } from 'zod';

/**
 * Field types for plugin config schemas. Values interpolated from `${VAR}` arrive as strings,
 * so each accepts the YAML-native type and its string spelling (`"3306"`, `"true"`).
 */
export const field = {
  /** A boolean written as `true`/`false` or any of zod's stringbool spellings (`"yes"`, `"1"`…). */
  boolean: () => z.union([z.boolean(), z.stringbool()]),
  /** An integer written as a number or a string of digits. */
  integer: () =>
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
  /** A finite number written as a number or a numeric string. */
  number: () =>
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
  /** A non-empty string. */
  string: () => z.string().min(1),
};
