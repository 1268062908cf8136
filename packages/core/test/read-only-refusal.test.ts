import { describe, expect, test } from 'vitest';
import { ConnectorError, clipForMessage, readOnlyDenial } from '../src/index.js';

describe('readOnlyDenial', () => {
  const deny = readOnlyDenial('Read-only guard', { into: 'Read the rows from the result instead.' });

  test("throws READ_ONLY_VIOLATION pointing at the character, with the rule's hint and details", () => {
    let thrown: unknown;
    try {
      deny('into', 'INTO writes a file', 9);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConnectorError);
    expect(thrown).toMatchObject({
      message: 'Read-only guard: INTO writes a file (at character 10).',
      code: 'READ_ONLY_VIOLATION',
      category: 'read_only',
      hint: 'Read the rows from the result instead.',
      details: { rule: 'into', offset: 9 },
    });
  });

  test('clipForMessage keeps at most 40 characters of user text', () => {
    expect(clipForMessage('short')).toBe('short');
    const clipped = clipForMessage('x'.repeat(100));
    expect(clipped).toHaveLength(38);
    expect(clipped.endsWith('…')).toBe(true);
  });
});
