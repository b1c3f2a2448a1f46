import type { BitWriter } from './bitWriter';
import { huffmanCodeLengths } from './huffmanCodeLengths';

/** A prefix code ready for writing symbols: `writer.write(codes[s], bits[s])`. */
export interface Vp8lPrefixCode {
  /** Bits written per symbol; 0 for every symbol of a one-symbol code (decoders read nothing then). */
  readonly bits: Uint8Array;
  /** Canonical codes, bit-reversed for LSB-first writing. */
  readonly codes: Uint16Array;
}

/** VP8L limits: symbol codes up to 15 bits, code-length codes up to 7 (stored in 3 bits). */
const MAX_SYMBOL_CODE_LENGTH = 15;
const MAX_CODE_LENGTH_CODE_LENGTH = 7;
/** Order in which the 19 code-length-code lengths are stored (VP8L spec). */
const CODE_LENGTH_ORDER = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
/** Code-length symbols 16 (repeat previous non-zero 3..6 times), 17 (zeros 3..10), 18 (zeros 11..138). */
const REPEAT_PREVIOUS = 16;
const REPEAT_ZERO_SHORT = 17;
const REPEAT_ZERO_LONG = 18;

/**
 * Builds a Huffman code for `histogram` and writes its VP8L description: a "simple" code when at
 * most two symbols below 256 are used, else a "normal" code (code lengths run-length coded with
 * symbols 0..18, themselves Huffman coded). Returns the code to write the symbols with.
 * @param writer Destination bit stream.
 * @param histogram Symbol counts over the whole alphabet (280 for green, 256 for red/blue/alpha, 40 for distance).
 * @example const green = writeVp8lPrefixCode(w, greenHistogram); w.write(green.codes[g], green.bits[g]);
 */
export function writeVp8lPrefixCode(writer: BitWriter, histogram: ArrayLike<number>): Vp8lPrefixCode {
  const lengths = huffmanCodeLengths(histogram, MAX_SYMBOL_CODE_LENGTH);
  const used = usedSymbols(lengths);
  if (used.length <= 2 && used.every((s) => s < 256)) writeSimpleCode(writer, used.length ? used : [0]);
  else writeNormalCode(writer, lengths);
  return canonicalCode(lengths);
}

function writeSimpleCode(writer: BitWriter, symbols: number[]): void {
  writer.write(1, 1); // simple code
  writer.write(symbols.length - 1, 1);
  const wide = symbols[0] > 1 ? 1 : 0;
  writer.write(wide, 1);
  writer.write(symbols[0], wide ? 8 : 1);
  if (symbols.length === 2) writer.write(symbols[1], 8);
}

function writeNormalCode(writer: BitWriter, lengths: Uint8Array): void {
  const tokens = runLengthTokens(lengths);
  const histogram = new Uint32Array(19);
  for (const t of tokens) histogram[t.symbol]++;
  const tokenLengths = huffmanCodeLengths(histogram, MAX_CODE_LENGTH_CODE_LENGTH);
  let stored = CODE_LENGTH_ORDER.length;
  while (stored > 4 && tokenLengths[CODE_LENGTH_ORDER[stored - 1]] === 0) stored--;
  writer.write(0, 1); // normal code
  writer.write(stored - 4, 4);
  for (let i = 0; i < stored; i++) writer.write(tokenLengths[CODE_LENGTH_ORDER[i]], 3);
  writer.write(0, 1); // max_symbol = alphabet size: every length is coded
  const tokenCode = canonicalCode(tokenLengths);
  for (const t of tokens) {
    writer.write(tokenCode.codes[t.symbol], tokenCode.bits[t.symbol]);
    if (t.extraBits) writer.write(t.extra, t.extraBits);
  }
}

interface LengthToken {
  symbol: number;
  extra: number;
  extraBits: number;
}

/** Run-length codes a code-length array with symbols 0..15 (literal), 16, 17 and 18. */
function runLengthTokens(lengths: Uint8Array): LengthToken[] {
  const tokens: LengthToken[] = [];
  const literal = (len: number) => tokens.push({ symbol: len, extra: 0, extraBits: 0 });
  for (let i = 0; i < lengths.length; ) {
    const value = lengths[i];
    let run = 1;
    while (i + run < lengths.length && lengths[i + run] === value) run++;
    i += run;
    if (value === 0) {
      while (run >= 11) {
        const n = Math.min(run, 138);
        tokens.push({ symbol: REPEAT_ZERO_LONG, extra: n - 11, extraBits: 7 });
        run -= n;
      }
      if (run >= 3) {
        tokens.push({ symbol: REPEAT_ZERO_SHORT, extra: run - 3, extraBits: 3 });
        run = 0;
      }
    } else {
      literal(value);
      run--;
      while (run >= 3) {
        const n = Math.min(run, 6);
        tokens.push({ symbol: REPEAT_PREVIOUS, extra: n - 3, extraBits: 2 });
        run -= n;
      }
    }
    for (; run > 0; run--) literal(value);
  }
  return tokens;
}

function usedSymbols(lengths: Uint8Array): number[] {
  const used: number[] = [];
  for (let s = 0; s < lengths.length; s++) if (lengths[s] > 0) used.push(s);
  return used;
}

/** Canonical (deflate-style) codes for `lengths`, bit-reversed; a one-symbol code is written with 0 bits. */
function canonicalCode(lengths: Uint8Array): Vp8lPrefixCode {
  const bits = new Uint8Array(lengths);
  const codes = new Uint16Array(lengths.length);
  const used = usedSymbols(lengths);
  if (used.length === 1) {
    bits[used[0]] = 0;
    return { bits, codes };
  }
  const countPerLength = new Uint16Array(MAX_SYMBOL_CODE_LENGTH + 1);
  for (const s of used) countPerLength[lengths[s]]++;
  const next = new Uint16Array(MAX_SYMBOL_CODE_LENGTH + 2);
  for (let len = 1, code = 0; len <= MAX_SYMBOL_CODE_LENGTH; len++) {
    code = (code + countPerLength[len - 1]) << 1;
    next[len] = code;
  }
  for (const s of used) codes[s] = reverseBits(next[lengths[s]]++, lengths[s]);
  return { bits, codes };
}

function reverseBits(value: number, bits: number): number {
  let out = 0;
  for (let i = 0; i < bits; i++) out = (out << 1) | ((value >>> i) & 1);
  return out;
}
