/** Formats a valid `Date` as text. */
export type DateFormatter = (date: Date) => string;

/** A date's calendar fields as shown on a wall clock in some zone. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hours: number;
  minutes: number;
  seconds: number;
  milliseconds: number;
  weekday: number;
  /** Seconds east of UTC. */
  offset: number;
  zoneName: string;
}

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

/** The strftime directives supported, as in Python's `datetime.strftime` with the C locale. */
const DIRECTIVES: Record<string, (clock: WallClock) => string> = {
  Y: (c) => padYear(c.year),
  y: (c) => pad2(((c.year % 100) + 100) % 100),
  m: (c) => pad2(c.month),
  d: (c) => pad2(c.day),
  H: (c) => pad2(c.hours),
  I: (c) => pad2(c.hours % 12 || 12),
  p: (c) => (c.hours < 12 ? 'AM' : 'PM'),
  M: (c) => pad2(c.minutes),
  S: (c) => pad2(c.seconds),
  f: (c) => `${pad3(c.milliseconds)}000`,
  j: (c) => pad3(dayOfYear(c)),
  a: (c) => DAYS[c.weekday]!.slice(0, 3),
  A: (c) => DAYS[c.weekday]!,
  b: (c) => MONTHS[c.month - 1]!.slice(0, 3),
  B: (c) => MONTHS[c.month - 1]!,
  z: (c) => offsetText(c.offset),
  Z: (c) => c.zoneName,
  F: (c) => `${padYear(c.year)}-${pad2(c.month)}-${pad2(c.day)}`,
  T: (c) => `${pad2(c.hours)}:${pad2(c.minutes)}:${pad2(c.seconds)}`,
  '%': () => '%',
};

/**
 * Compiles a strftime-like pattern (`%Y-%m-%d %H:%M:%S`) into a formatter showing dates in UTC, or on
 * the wall clock of the IANA `timeZone` when one is given (so offsets follow daylight saving time).
 * Throws a `RangeError` naming an unknown directive or time zone.
 */
export function compileDateFormat(pattern: string, timeZone?: string): DateFormatter {
  const parts: Array<string | ((clock: WallClock) => string)> = [];
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
  const clockOf = timeZone === undefined ? utcClock : zonedClock(timeZone);
  return (date) => {
    const clock = clockOf(date);
    let text = '';
    for (const part of parts) text += typeof part === 'string' ? part : part(clock);
    return text;
  };
}

function utcClock(date: Date): WallClock {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hours: date.getUTCHours(),
    minutes: date.getUTCMinutes(),
    seconds: date.getUTCSeconds(),
    milliseconds: date.getUTCMilliseconds(),
    weekday: date.getUTCDay(),
    offset: 0,
    zoneName: 'UTC',
  };
}

function zonedClock(timeZone: string): (date: Date) => WallClock {
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
  const zoneName = (date: Date) => {
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
    const offset = Math.round((wall - (date.getTime() - date.getUTCMilliseconds())) / 1000);
    return { ...utcClock(new Date(date.getTime() + offset * 1000)), offset, zoneName: zoneName(date) };
  };
}

/** `+HHMM`, or `+HHMMSS` for the odd historical offset with seconds, as Python's `%z`. */
function offsetText(offset: number): string {
  const magnitude = Math.abs(offset);
  const seconds = magnitude % 60;
  const text = `${pad2(Math.floor(magnitude / 3600))}${pad2(Math.floor(magnitude / 60) % 60)}${seconds ? pad2(seconds) : ''}`;
  return `${offset < 0 ? '-' : '+'}${text}`;
}

function dayOfYear(clock: WallClock): number {
  return (
    Math.round((utcTime(clock.year, clock.month, clock.day) - utcTime(clock.year, 1, 1)) / 86_400_000) + 1
  );
}

/** `Date.UTC` without its mapping of years 0-99 to 1900-1999. */
function utcTime(year: number, month: number, day: number, hours = 0, minutes = 0, seconds = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hours, minutes, seconds, 0);
  return date.getTime();
}
