import { ValueProblem } from '@osiris/core';

/** Formats a valid `Date` as text. */
export type DateFormatter = (date: Date) => string;

/** Where a wall clock is: its offset from UTC and its name. */
interface Zone {
  /** Seconds east of UTC. */
  offset: number;
  name: string;
}

const UTC: Zone = { offset: 0, name: 'UTC' };

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad2 = (value: number) => (value < 10 ? `0${value}` : `${value}`);
const pad3 = (value: number) => `${value}`.padStart(3, '0');
const padYear = (year: number) => (year < 0 ? `-${`${-year}`.padStart(4, '0')}` : `${year}`.padStart(4, '0'));

/**
 * The strftime directives supported, as in Python's `datetime.strftime` with the C locale. Each reads
 * the UTC fields of `wall`, a date shifted so that they show the wall clock of `zone`.
 */
const DIRECTIVES: Record<string, (wall: Date, zone: Zone, micros: string) => string> = {
  Y: (w) => padYear(w.getUTCFullYear()),
  y: (w) => pad2(((w.getUTCFullYear() % 100) + 100) % 100),
  m: (w) => pad2(w.getUTCMonth() + 1),
  d: (w) => pad2(w.getUTCDate()),
  H: (w) => pad2(w.getUTCHours()),
  I: (w) => pad2(w.getUTCHours() % 12 || 12),
  p: (w) => (w.getUTCHours() < 12 ? 'AM' : 'PM'),
  M: (w) => pad2(w.getUTCMinutes()),
  S: (w) => pad2(w.getUTCSeconds()),
  f: (_w, _zone, micros) => micros,
  j: (w) => pad3(dayOfYear(w)),
  a: (w) => DAYS[w.getUTCDay()]!.slice(0, 3),
  A: (w) => DAYS[w.getUTCDay()]!,
  b: (w) => MONTHS[w.getUTCMonth()]!.slice(0, 3),
  B: (w) => MONTHS[w.getUTCMonth()]!,
  z: (_, zone) => offsetText(zone.offset),
  Z: (_, zone) => zone.name,
  F: (w) => `${padYear(w.getUTCFullYear())}-${pad2(w.getUTCMonth() + 1)}-${pad2(w.getUTCDate())}`,
  T: (w) => `${pad2(w.getUTCHours())}:${pad2(w.getUTCMinutes())}:${pad2(w.getUTCSeconds())}`,
  '%': () => '%',
};

/**
 * Compiles a strftime-like pattern (`%Y-%m-%d %H:%M:%S`) into a formatter showing dates in UTC, or on
 * the wall clock of the IANA `timeZone` when one is given (so offsets follow daylight saving time).
 * Throws a `RangeError` naming an unknown directive or time zone.
 */
export function compileDateFormat(pattern: string, timeZone?: string): DateFormatter {
  const { format, zoneAt } = compile(pattern, timeZone);
  const micros = (date: Date) => `${pad3(date.getUTCMilliseconds())}000`;
  if (zoneAt === undefined) return (date) => format(date, UTC, micros(date));
  return (date) => {
    const zone = zoneAt(date);
    return format(new Date(date.getTime() + zone.offset * 1000), zone, micros(date));
  };
}

type Part = string | ((wall: Date, zone: Zone, micros: string) => string);

function compile(pattern: string, timeZone?: string) {
  const parts: Part[] = [];
  for (const piece of pattern.split(/(%.?)/s)) {
    if (piece === '') continue;
    if (!piece.startsWith('%')) {
      parts.push(piece);
      continue;
    }
    const directive = DIRECTIVES[piece.slice(1)];
    if (directive === undefined) {
      throw new RangeError(
        `Unknown date_format directive ${JSON.stringify(piece)}; known: ${Object.keys(DIRECTIVES)
          .map((key) => `%${key}`)
          .join(' ')}`,
      );
    }
    parts.push(directive);
  }
  const format = (wall: Date, zone: Zone, micros: string) => {
    let text = '';
    for (const part of parts) text += typeof part === 'string' ? part : part(wall, zone, micros);
    return text;
  };
  const shown = new Set(pattern.match(/%./gs)?.map((directive) => directive.slice(1)));
  return { format, shown, zoneAt: timeZone === undefined ? undefined : zoneOf(timeZone) };
}

/** Formats canonical date-time text; throws a `ValueProblem` for a value whose digits the pattern would drop. */
export type CanonicalDateFormatter = (text: string) => string;

const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/;

/**
 * A `date_format` for the canonical values of a `datetime` (wall clock, shown as it is) or `timestamp`
 * (an instant, shown on the wall clock of `timeZone`) column, which never drops a digit: a pattern
 * that cannot show the whole date, or an offset that means nothing for a wall clock, is refused here
 * (a `RangeError` saying why); a value with a time of day or fraction digits the pattern does not show
 * is refused by the formatter (`%f` shows 6 digits).
 */
export function canonicalDateFormat(
  pattern: string,
  kind: 'datetime' | 'timestamp',
  timeZone?: string,
): CanonicalDateFormatter {
  const { format, shown, zoneAt } = compile(pattern, kind === 'timestamp' ? timeZone : undefined);
  const has = (...directives: string[]) => directives.some((directive) => shown.has(directive));
  if (!has('Y', 'F') || !has('m', 'b', 'B', 'F') || !has('d', 'F')) {
    throw new RangeError(`date_format ${JSON.stringify(pattern)} does not show the whole date (%Y, %m, %d)`);
  }
  if (kind === 'datetime' && has('z', 'Z')) {
    throw new RangeError(
      `date_format ${JSON.stringify(pattern)} shows a zone, which a datetime (wall clock) has not`,
    );
  }
  if (zoneAt !== undefined && !has('z')) {
    throw new RangeError(
      `date_format ${JSON.stringify(pattern)} has no %z: a wall clock in ${timeZone} is ambiguous when clocks go back`,
    );
  }
  const showsHour = has('H', 'T') || (has('I') && has('p'));
  const showsMinute = has('M', 'T');
  const showsSecond = has('S', 'T');
  const showsFraction = has('f');
  return (text) => {
    const match = CANONICAL.exec(text);
    if (match === null) throw new ValueProblem('VALUE_INVALID', `is not a canonical ${kind}`);
    const [, year, month, day, hours, minutes, seconds, digits = ''] = match as unknown as string[];
    const dropped =
      (!showsHour && hours !== '00') ||
      (!showsMinute && minutes !== '00') ||
      (!showsSecond && seconds !== '00') ||
      (showsFraction ? /[1-9]/.test(digits.slice(6)) : /[1-9]/.test(digits));
    if (dropped) {
      throw new ValueProblem(
        'VALUE_OUT_OF_RANGE',
        `has digits that date_format ${JSON.stringify(pattern)} does not show (%f shows 6 fraction digits)`,
      );
    }
    const micros = digits.slice(0, 6).padEnd(6, '0');
    const instant = utcTime(
      Number(year),
      Number(month),
      Number(day),
      Number(hours),
      Number(minutes),
      Number(seconds),
    );
    if (zoneAt === undefined) return format(new Date(instant), UTC, micros);
    const zone = zoneAt(new Date(instant));
    return format(new Date(instant + zone.offset * 1000), zone, micros);
  };
}

/** What each directive matches when text a pattern wrote is read back (names as `DIRECTIVES` writes them). */
const READ_BACK: Record<string, string> = {
  Y: '(\\d{4})',
  y: '(\\d{2})',
  m: '(\\d{2})',
  d: '(\\d{2})',
  H: '(\\d{2})',
  I: '(\\d{2})',
  p: '(AM|PM)',
  M: '(\\d{2})',
  S: '(\\d{2})',
  f: '(\\d{6})',
  j: '(\\d{3})',
  a: `(${DAYS.map((day) => day.slice(0, 3)).join('|')})`,
  A: `(${DAYS.join('|')})`,
  b: `(${MONTHS.map((month) => month.slice(0, 3)).join('|')})`,
  B: `(${MONTHS.join('|')})`,
  z: '([+-]\\d{4}(?:\\d{2})?)',
  Z: '([^\\s\\d]\\S*)',
  F: '(\\d{4}-\\d{2}-\\d{2})',
  T: '(\\d{2}:\\d{2}:\\d{2})',
};

/**
 * Reads text that `canonicalDateFormat(pattern, kind)` wrote back into date-time text core's canonicalizer
 * takes (`2024-10-27T02:30:00.000000+0100`), or undefined when the text does not match the pattern.
 */
export function dateFormatReader(
  pattern: string,
  kind: 'datetime' | 'timestamp',
): (text: string) => string | undefined {
  const found = new Map<string, number>();
  let source = '^';
  let groups = 0;
  for (const piece of pattern.split(/(%.?)/s)) {
    if (piece === '') continue;
    const directive = piece.startsWith('%') ? piece.slice(1) : undefined;
    if (directive === undefined || directive === '%') {
      source += (directive === '%' ? '%' : piece).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
      continue;
    }
    const group = READ_BACK[directive];
    if (group === undefined) throw new RangeError(`date_format directive %${directive} cannot be read back`);
    source += group;
    groups++;
    if (!found.has(directive)) found.set(directive, groups);
  }
  const matcher = new RegExp(`${source}$`);
  return (text) => {
    const match = matcher.exec(text);
    if (match === null) return undefined;
    const get = (directive: string) => {
      const index = found.get(directive);
      return index === undefined ? undefined : match[index];
    };
    const [fy, fm, fd] = get('F')?.split('-') ?? [];
    const [th, tm, ts] = get('T')?.split(':') ?? [];
    const monthName = get('B') ?? get('b');
    const month =
      get('m') ??
      fm ??
      (monthName === undefined
        ? undefined
        : pad2(MONTHS.findIndex((name) => name.startsWith(monthName)) + 1));
    const year = get('Y') ?? fy;
    const day = get('d') ?? fd;
    if (year === undefined || month === undefined || day === undefined) return undefined;
    let hour = get('H') ?? th;
    const twelve = get('I');
    if (hour === undefined && twelve !== undefined && get('p') !== undefined) {
      hour = pad2((Number(twelve) % 12) + (get('p') === 'PM' ? 12 : 0));
    }
    const fraction = get('f') === undefined ? '' : `.${get('f')}`;
    const offset = get('z');
    const time = [hour ?? '00', get('M') ?? tm ?? '00', get('S') ?? ts ?? '00'];
    if (kind === 'datetime') return `${year}-${month}-${day}T${time.join(':')}${fraction}`;
    if (offset === undefined || offset.length === 5) {
      return `${year}-${month}-${day}T${time.join(':')}${fraction}${offset ?? 'Z'}`;
    }
    // An offset with seconds (local mean time before 1900, `+005744`): brought to UTC here.
    const sign = offset.startsWith('-') ? -1 : 1;
    const shift =
      sign * (Number(offset.slice(1, 3)) * 3600 + Number(offset.slice(3, 5)) * 60 + Number(offset.slice(5)));
    const [h, m, sec] = time.map(Number) as [number, number, number];
    const utc = new Date(utcTime(Number(year), Number(month), Number(day), h, m, sec) - shift * 1000);
    const date = `${padYear(utc.getUTCFullYear())}-${pad2(utc.getUTCMonth() + 1)}-${pad2(utc.getUTCDate())}`;
    return `${date}T${pad2(utc.getUTCHours())}:${pad2(utc.getUTCMinutes())}:${pad2(utc.getUTCSeconds())}${fraction}Z`;
  };
}

/** The offset and name of `timeZone` at each instant, from the platform's time zone data. */
function zoneOf(timeZone: string): (date: Date) => Zone {
  const fields = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
  // ICU knows American abbreviations under en-US and European ones under en-GB; elsewhere both say GMT+N.
  const abbreviations = ['en-US', 'en-GB'].map(
    (locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }),
  );
  const nameAt = (date: Date) => {
    const names = abbreviations.map(
      (format) => format.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? timeZone,
    );
    return names.find((name) => !name.startsWith('GMT')) ?? names[0]!;
  };
  return (date) => {
    const found: Record<string, string> = {};
    for (const { type, value } of fields.formatToParts(date)) found[type] = value;
    const year = found.era === 'BC' ? 1 - Number(found.year) : Number(found.year);
    const wall = utcTime(
      year,
      Number(found.month),
      Number(found.day),
      Number(found.hour),
      Number(found.minute),
      Number(found.second),
    );
    return {
      offset: Math.round((wall - (date.getTime() - date.getUTCMilliseconds())) / 1000),
      name: nameAt(date),
    };
  };
}

/** `+HHMM`, or `+HHMMSS` for the odd historical offset with seconds, as Python's `%z`. */
function offsetText(offset: number): string {
  const magnitude = Math.abs(offset);
  const seconds = magnitude % 60;
  const text = `${pad2(Math.floor(magnitude / 3600))}${pad2(Math.floor(magnitude / 60) % 60)}${seconds ? pad2(seconds) : ''}`;
  return `${offset < 0 ? '-' : '+'}${text}`;
}

function dayOfYear(wall: Date): number {
  const year = wall.getUTCFullYear();
  const start = utcTime(year, 1, 1);
  return Math.round((utcTime(year, wall.getUTCMonth() + 1, wall.getUTCDate()) - start) / 86_400_000) + 1;
}

/** `Date.UTC` without its mapping of years 0-99 to 1900-1999. */
function utcTime(year: number, month: number, day: number, hours = 0, minutes = 0, seconds = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hours, minutes, seconds, 0);
  return date.getTime();
}
