/**
 * The refusal of a connector's read-only guard, the same in every connector: one `READ_ONLY_VIOLATION` shape
 * (message pointing at a character, the rule's hint, `details.rule` and `details.offset`), and user text clipped
 * before it goes into a message.
 */
import { ConnectorError } from './errors.js';

/** Refuses a query for `rule`, pointing at `offset` (0-based) in its text. */
export type ReadOnlyDenial<Rule extends string> = (rule: Rule, message: string, offset: number) => never;

/** The denial of a guard whose messages start with `label` (`Read-only guard`) and whose rules have these hints. */
export function readOnlyDenial<Rule extends string>(
  label: string,
  hints: Readonly<Record<Rule, string>>,
): ReadOnlyDenial<Rule> {
  return (rule, message, offset) => {
    throw new ConnectorError(`${label}: ${message} (at character ${offset + 1}).`, {
      code: 'READ_ONLY_VIOLATION',
      category: 'read_only',
      hint: hints[rule],
      details: { rule, offset },
    });
  };
}

/** Text of a name for a message: never more than 40 characters of user input. */
export function clipForMessage(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
