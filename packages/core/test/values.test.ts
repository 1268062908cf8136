import { describe, expect, test } from 'vitest';
import {
  type CanonicalValue,
  ConnectorError,
  canonicalizer,
  decimalText,
  fromText,
  inferType,
  type LogicalType,
  rowConverter,
  toText,
  typeFits,
  ValueProblem,
  writeColumns,
} from '../src/index.js';

const int = (bits: number, unsigned = false): LogicalType => ({ kind: 'integer', bits, unsigned });
const problemOf = (type: LogicalType, value: unknown): ValueProblem | undefined => {
  try {
    canonicalizer(type)(value);
    return undefined;
  } catch (error) {
    if (error instanceof ValueProblem) return error;
    throw error;
  }
};

describe('canonical values', () => {
  test('integers: number up to 32 bits, bigint above, exact range edges', () => {
    expect(canonicalizer(int(8))('-128')).toBe(-128);
    expect(problemOf(int(8), 128)?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(problemOf(int(8, true), -1)?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(canonicalizer(int(64, true))('18446744073709551615')).toBe(18446744073709551615n);
    expect(problemOf(int(64, true), '18446744073709551616')?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(canonicalizer(int(64))(-9223372036854775808n)).toBe(-9223372036854775808n);
    expect(canonicalizer(int(32))(7n)).toBe(7);
    expect(problemOf(int(32), 1.5)?.code).toBe('VALUE_INVALID');
    expect(problemOf(int(32), '')?.code).toBe('VALUE_INVALID');
  });

  test('decimals stay text at their scale, never through a float', () => {
    const money: LogicalType = { kind: 'decimal', precision: 38, scale: 10 };
    expect(canonicalizer(money)('-9999999999999999999999999999.9999999999')).toBe(
      '-9999999999999999999999999999.9999999999',
    );
    expect(canonicalizer({ kind: 'decimal', precision: 5, scale: 2 })('1.5')).toBe('1.50');
    expect(canonicalizer({ kind: 'decimal', precision: 5, scale: 2 })(0.1)).toBe('0.10');
    expect(canonicalizer({ kind: 'decimal', precision: 5, scale: 2 })('1.5e2')).toBe('150.00');
    expect(canonicalizer({ kind: 'decimal', precision: 5, scale: 2 })('-0.00')).toBe('0.00');
    expect(problemOf({ kind: 'decimal', precision: 5, scale: 2 }, '1.234')?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(problemOf({ kind: 'decimal', precision: 5, scale: 2 }, '1234.5')?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(decimalText('12.3400', undefined, undefined)).toBe('12.3400');
    expect(decimalText('00012', 3, 0)).toBe('12');
    expect(decimalText('1e-3', 4, 3)).toBe('0.001');
    expect(decimalText('abc', 4, 3)).toMatchObject({ code: 'VALUE_INVALID' });
  });

  test('floats keep -0, subnormals and specials; a double that is no float32 is refused for float(32)', () => {
    const double: LogicalType = { kind: 'float', bits: 64 };
    expect(Object.is(canonicalizer(double)('-0'), -0)).toBe(true);
    expect(canonicalizer(double)('4.9e-324')).toBe(5e-324);
    expect(canonicalizer(double)('NaN')).toBeNaN();
    expect(canonicalizer(double)('-Infinity')).toBe(-Infinity);
    expect(canonicalizer({ kind: 'float', bits: 32 })(Math.fround(0.1))).toBe(Math.fround(0.1));
    expect(problemOf({ kind: 'float', bits: 32 }, 0.1)?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(problemOf(double, '1,5')?.code).toBe('VALUE_INVALID');
    expect(canonicalizer(double)(2n ** 1000n)).toBe(2 ** 1000);
    expect(problemOf(double, 2n ** 1100n)?.code).toBe('VALUE_INVALID'); // beyond a double: no RangeError
  });

  test('dates and times: text at the column precision, fractions never dropped silently', () => {
    expect(canonicalizer({ kind: 'date' })('2024-02-29')).toBe('2024-02-29');
    expect(problemOf({ kind: 'date' }, '2023-02-29')?.code).toBe('VALUE_INVALID');
    expect(problemOf({ kind: 'date' }, '0000-00-00')?.code).toBe('VALUE_INVALID');
    expect(canonicalizer({ kind: 'time', precision: 6 })('-838:59:59.5')).toBe('-838:59:59.500000');
    expect(canonicalizer({ kind: 'datetime', precision: 3 })('2006-02-15 05:03:42.25')).toBe(
      '2006-02-15T05:03:42.250',
    );
    expect(problemOf({ kind: 'datetime', precision: 0 }, '2006-02-15 05:03:42.25')?.code).toBe(
      'VALUE_OUT_OF_RANGE',
    );
    expect(canonicalizer({ kind: 'datetime', precision: 0 })('2006-02-15 05:03:42.000')).toBe(
      '2006-02-15T05:03:42',
    );
    expect(problemOf({ kind: 'datetime', precision: 0 }, '2006-02-15T05:03:42Z')?.code).toBe('VALUE_INVALID');
    const instant: LogicalType = { kind: 'timestamp', precision: 6 };
    expect(canonicalizer(instant)('2006-02-15 05:03:42.123456+02:00')).toBe('2006-02-15T03:03:42.123456Z');
    expect(canonicalizer(instant)('0001-01-01T00:30:00-01')).toBe('0001-01-01T01:30:00.000000Z');
    expect(canonicalizer(instant)(new Date(Date.UTC(2020, 0, 1, 12, 0, 0, 250)))).toBe(
      '2020-01-01T12:00:00.250000Z',
    );
    expect(problemOf(instant, '2006-02-15 05:03:42')?.code).toBe('VALUE_INVALID');
    // Text already canonical passes as it is, but only if it names a real day.
    const ts3: LogicalType = { kind: 'timestamp', precision: 3 };
    expect(canonicalizer(ts3)('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
    expect(problemOf(ts3, '2023-02-29T00:00:00.000Z')?.code).toBe('VALUE_INVALID');
    expect(problemOf({ kind: 'datetime', precision: 0 }, '2024-01-01T24:00:00')?.code).toBe('VALUE_INVALID');
    expect(canonicalizer({ kind: 'float', bits: 64 })('-0')).toBe(-0);
    expect(canonicalizer({ kind: 'float', bits: 64 })('1e-7')).toBe(1e-7);
  });

  test('bytes, json, enum, set, string', () => {
    expect(problemOf({ kind: 'bytes' }, '\\x00ff')?.code).toBe('VALUE_INVALID');
    expect(problemOf({ kind: 'bytes', maxLength: 2 }, new Uint8Array(3))?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(canonicalizer({ kind: 'json' })({ big: 12345678901234567890n, list: [1] })).toBe(
      '{"big":12345678901234567890,"list":[1]}',
    );
    expect(problemOf({ kind: 'json' }, '{bad')?.code).toBe('VALUE_INVALID');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(problemOf({ kind: 'json' }, cycle)?.reason).toMatch(/contains itself/);
    expect(canonicalizer({ kind: 'set', members: ['a', 'b', 'c'] })('c,a')).toBe('a,c');
    expect(canonicalizer({ kind: 'set', members: ['a', 'b'] })('')).toBe('');
    expect(problemOf({ kind: 'set', members: ['a'] }, 'a,z')?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(problemOf({ kind: 'enum', members: ['x'] }, 'y')?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(canonicalizer({ kind: 'string', maxLength: 2 })('😀😀')).toBe('😀😀');
    expect(problemOf({ kind: 'string', maxLength: 2 }, '😀😀😀')?.code).toBe('VALUE_OUT_OF_RANGE');
    expect(canonicalizer({ kind: 'string' })('')).toBe('');
    expect(canonicalizer({ kind: 'string' })(null)).toBeNull();
  });
});

describe('text form', () => {
  const cases: Array<[LogicalType, CanonicalValue]> = [
    [int(64), -9223372036854775808n],
    [{ kind: 'float', bits: 64 }, -0],
    [{ kind: 'float', bits: 64 }, 5e-324],
    [{ kind: 'boolean' }, false],
    [{ kind: 'bytes' }, Buffer.from([0, 255, 10, 13, 92])],
    [{ kind: 'string' }, ''],
    [{ kind: 'timestamp', precision: 6 }, '1970-01-01T00:00:00.000001Z'],
  ];
  test.each(cases)('%o survives text and back', (type, value) => {
    const text = toText(value);
    expect(text).not.toBeNull();
    expect(fromText(type)(text as string)).toEqual(value);
  });
});

describe('typeFits', () => {
  test('widening passes, narrowing does not', () => {
    expect(typeFits(int(16, true), int(32))).toBe(true);
    expect(typeFits(int(32), int(16, true))).toBe(false);
    expect(typeFits(int(32), int(64))).toBe(false); // number → bigint must be converted
    expect(
      typeFits({ kind: 'decimal', precision: 10, scale: 2 }, { kind: 'decimal', precision: 12, scale: 2 }),
    ).toBe(true);
    expect(
      typeFits({ kind: 'decimal', precision: 10, scale: 2 }, { kind: 'decimal', precision: 12, scale: 3 }),
    ).toBe(false);
    expect(typeFits({ kind: 'datetime', precision: 3 }, { kind: 'datetime', precision: 6 })).toBe(false);
    expect(typeFits({ kind: 'date' }, { kind: 'string' })).toBe(true);
    expect(typeFits({ kind: 'float', bits: 32 }, { kind: 'float', bits: 64 })).toBe(true);
    expect(typeFits({ kind: 'float', bits: 64 }, { kind: 'float', bits: 32 })).toBe(false);
  });
});

describe('rowConverter', () => {
  test('refuses a batch naming row (over the whole write), column and type, before any of it is used', () => {
    const convert = rowConverter(
      [
        { name: 'id', target: int(32), source: int(32) },
        { name: 'qty', target: int(16, true), nativeType: 'SMALLINT UNSIGNED' },
      ],
      'MySQL table t',
    );
    expect(convert([{ id: 1, qty: '7' }], 0)).toEqual([[1, 7]]);
    let thrown: unknown;
    try {
      convert(
        [
          { id: 1, qty: 1 },
          { id: 2, qty: 70000 },
        ],
        100,
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConnectorError);
    expect(thrown).toMatchObject({
      code: 'VALUE_OUT_OF_RANGE',
      category: 'config',
      details: { column: 'qty', row: 102, nativeType: 'SMALLINT UNSIGNED' },
    });
    expect((thrown as Error).message).toContain('SMALLINT UNSIGNED');
    expect((thrown as Error).message).not.toContain('70000');
  });

  test('NULL and empty string stay apart; NOT NULL refuses null', () => {
    const convert = rowConverter([{ name: 's', target: { kind: 'string' }, nullable: false }], 'sink');
    expect(convert([{ s: '' }], 0)).toEqual([['']]);
    expect(() => convert([{ s: null }], 0)).toThrow(/row 1, column "s".*NOT NULL/);
  });

  test("a column named like an inherited property (toString, __proto__) reads only the row's own key", () => {
    const convert = rowConverter(
      [
        { name: 'toString', target: { kind: 'string' } },
        { name: '__proto__', target: { kind: 'string' } },
      ],
      'sink',
    );
    expect(convert([{}], 0)).toEqual([[null, null]]);
  });
});

describe('writeColumns', () => {
  test('takes the source description, else infers from the first batch', async () => {
    const described = Object.assign([[{ a: 1 }]], {
      columns: async () => [{ name: 'a', type: int(8) }],
    });
    expect(await writeColumns({ rows: described }, [{ a: 1 }])).toEqual([
      { name: 'a', type: int(8), described: true },
    ]);
    const sample = [{ a: 1, b: 1.5, c: null, d: 'x' }, { a: 2n }];
    expect((await writeColumns({ rows: [sample] }, sample)).map((column) => column.type)).toEqual([
      int(64),
      { kind: 'float', bits: 64 },
      { kind: 'string' },
      { kind: 'string' },
    ]);
    expect(inferType([new Date(), null])).toEqual({ kind: 'timestamp', precision: 3 });
  });
});
