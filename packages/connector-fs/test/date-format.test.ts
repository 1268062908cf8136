import { compileDateFormat } from '@osiris/connector-fs';
import { describe, expect, test } from 'vitest';

const instant = new Date('2024-02-29T07:05:09.042Z');

describe('compileDateFormat', () => {
  test('each directive, in UTC', () => {
    const format = compileDateFormat('%Y|%y|%m|%d|%H|%I|%p|%M|%S|%f|%j|%a|%A|%b|%B|%z|%Z|%F|%T|%%');
    expect(format(instant)).toBe(
      '2024|24|02|29|07|07|AM|05|09|042000|060|Thu|Thursday|Feb|February|+0000|UTC|2024-02-29|07:05:09|%',
    );
    expect(compileDateFormat('%I %p')(new Date('2024-01-01T12:30:00Z'))).toBe('12 PM');
    expect(compileDateFormat('%I %p')(new Date('2024-01-01T00:30:00Z'))).toBe('12 AM');
  });

  test('years before 1000 and before 100 keep four digits and their real year', () => {
    expect(compileDateFormat('%Y-%m-%d %j')(new Date('0042-12-31T00:00:00Z'))).toBe('0042-12-31 365');
  });

  test('a time zone gives the wall clock there, following DST, with its offset', () => {
    const format = compileDateFormat('%Y-%m-%d %H:%M %z %Z', 'America/New_York');
    expect(format(new Date('2024-03-10T06:59:00Z'))).toBe('2024-03-10 01:59 -0500 EST');
    expect(format(new Date('2024-03-10T07:00:00Z'))).toBe('2024-03-10 03:00 -0400 EDT');
    expect(compileDateFormat('%H:%M %z', 'Asia/Kolkata')(instant)).toBe('12:35 +0530');
  });

  test('literal text passes through; an unknown directive or zone is a RangeError naming it', () => {
    expect(compileDateFormat('at %H h, day %d.')(instant)).toBe('at 07 h, day 29.');
    expect(() => compileDateFormat('%Y-%Q')).toThrow(/"%Q".*known: %Y/);
    expect(() => compileDateFormat('100%')).toThrow(/"%"/);
    expect(() => compileDateFormat('%H', 'Mars/Olympus')).toThrow(RangeError);
  });
});
