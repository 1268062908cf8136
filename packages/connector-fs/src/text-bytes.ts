/**
 * Text turned into bytes of a file's encoding as it is produced, into one buffer reused from chunk to chunk.
 * Encoders append each field here instead of joining strings: a batch's text never exists as strings that
 * could survive two young-generation GCs and be promoted (the old generation then grows between full GCs,
 * and peak RSS with the row count). The buffer lives outside the V8 heap.
 */
import { ConnectorError } from '@osiris/core';

/** The buffer starts at this size; a chunk that holds more than `RETAIN_LIMIT` bytes is not kept for reuse. */
const INITIAL_BYTES = 64 * 1024;
const RETAIN_LIMIT = 4 * 1024 * 1024;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** Bytes of text appended in order; `take()` hands them over and starts the next chunk. */
export class TextBytes {
  private buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  private used = 0;
  /** The most bytes one UTF-16 code unit takes in this encoding. */
  private readonly bytesPerUnit: number;
  /** Whether a code unit below 0x80 is that one byte (UTF-8 and latin1), so it is stored without a call into Node. */
  private readonly asciiIsByte: boolean;

  constructor(private readonly encoding: BufferEncoding) {
    this.bytesPerUnit = Buffer.byteLength('\uffff', encoding);
    this.asciiIsByte = encoding === 'utf8' || encoding === 'utf-8' || encoding === 'latin1';
  }

  /** Bytes appended since the last `take()`. */
  get length(): number {
    return this.used;
  }

  /** Appends the bytes of `text`. */
  append(text: string): void {
    const length = text.length;
    if (this.used + length * this.bytesPerUnit > this.buffer.length) this.grow(length * this.bytesPerUnit);
    if (!this.asciiIsByte) {
      this.encode(text);
      return;
    }
    const buffer = this.buffer;
    let at = this.used;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        this.used = at;
        this.encode(i === 0 ? text : text.slice(i));
        return;
      }
      buffer[at++] = code;
    }
    this.used = at;
  }

  /** Appends the decimal digits of `value` (`${value}`), without making them a string when it is a safe integer. */
  appendInteger(value: bigint): void {
    if (value > MAX_SAFE || value < MIN_SAFE || !this.asciiIsByte) {
      this.append(`${value}`);
      return;
    }
    let rest = Number(value);
    if (this.used + 17 > this.buffer.length) this.grow(17);
    const buffer = this.buffer;
    if (rest < 0) {
      buffer[this.used++] = 0x2d;
      rest = -rest;
    }
    let digits = 1;
    for (let power = 10; power <= rest; power *= 10) digits++;
    let at = this.used + digits;
    this.used = at;
    do {
      buffer[--at] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  /**
   * The bytes appended since the last `take()`, which starts the next chunk. They are a view of the reused
   * buffer: the caller is done with them before it appends again.
   */
  take(): Uint8Array {
    const bytes = this.buffer.subarray(0, this.used);
    this.used = 0;
    if (this.buffer.length > RETAIN_LIMIT) this.buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
    return bytes;
  }

  private encode(text: string): void {
    // Buffer#write would silently turn what latin1 cannot hold into other characters.
    if (this.encoding === 'latin1' && /[^\u0000-\u00ff]/.test(text)) {
      throw new ConnectorError('The text holds characters that latin1 cannot encode', {
        code: 'VALUE_INVALID',
        category: 'config',
        hint: "Write the file as encoding: 'utf-8'",
      });
    }
    this.used += this.buffer.write(text, this.used, this.encoding);
  }

  /** Doubling: text that grows a little at a time would otherwise leave a trail of buffers each a bit larger. */
  private grow(needed: number): void {
    const grown = Buffer.allocUnsafeSlow(Math.max(this.used + needed, 2 * this.buffer.length));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }
}
