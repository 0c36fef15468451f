/**
 * Which characters free-form strings of the model may hold (ADR 0013, "String limits").
 * Postgres refuses a NUL character in `text` with an error that would surface as a 502 while
 * the memory adapters store it; a lone UTF-16 surrogate is stored by the driver as U+FFFD, so
 * SQL would silently hold something other than what memory holds. Both are refused by every
 * string field. Fields shown on one line (names, address lines, counters) also refuse the other
 * control characters and line breaks: they break log lines, CSV exports and ticket screens and
 * have no place in a name. Free text (notes) keeps tab and line breaks.
 *
 * @packageDocumentation
 */
import type { z } from 'zod';

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const LINE_SEPARATOR = 0x2028;
const PARAGRAPH_SEPARATOR = 0x2029;

/** C0 controls (NUL included), DEL and C1 controls. */
const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code <= 0x9f);

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** Whether `text` has a UTF-16 surrogate without its partner. */
function hasLoneSurrogate(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isHighSurrogate(code)) {
      if (!isLowSurrogate(text.charCodeAt(index + 1))) return true;
      index += 1;
    } else if (isLowSurrogate(code)) {
      return true;
    }
  }
  return false;
}

/**
 * Whether `text` can be stored and shown as one line: no control character (NUL, tab, line
 * breaks, DEL, C1 controls included), no Unicode line or paragraph separator and no lone
 * surrogate.
 *
 * @example
 * ```ts
 * isSingleLineText('Ada Lovelace'); // true
 * isSingleLineText('Ada\u0000'); // false
 * ```
 */
export function isSingleLineText(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isControl(code) || code === LINE_SEPARATOR || code === PARAGRAPH_SEPARATOR) return false;
  }
  return !hasLoneSurrogate(text);
}

/**
 * Whether `text` can be stored as free text: no control character other than tab, line feed
 * and carriage return, and no lone surrogate.
 *
 * @example
 * ```ts
 * isMultiLineText('Prefers mornings.\nCall first.'); // true
 * isMultiLineText('a\u0000b'); // false
 * ```
 */
export function isMultiLineText(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isControl(code) && code !== TAB && code !== LINE_FEED && code !== CARRIAGE_RETURN) {
      return false;
    }
  }
  return !hasLoneSurrogate(text);
}

/** The issue message of a string refused by {@link singleLine}. */
export const SINGLE_LINE_TEXT_MESSAGE =
  'must be one line of text without control characters (such as NUL, tab or line breaks)';

/** The issue message of a string refused by {@link multiLine}. */
export const MULTI_LINE_TEXT_MESSAGE =
  'must be text without control characters other than tab and line breaks (such as NUL)';

// A string that already failed a check (a length cap) is not scanned: a huge string costs no more
// than its length check.
const unlessAlreadyRefused = (payload: { readonly issues: readonly unknown[] }): boolean =>
  payload.issues.length === 0;

/**
 * Refines a string schema to refuse what {@link isSingleLineText} refuses. Put length checks on
 * the schema passed in: a string they refuse is not scanned.
 *
 * @example
 * ```ts
 * const DisplayName = singleLine(z.string().trim().min(1).max(200));
 * ```
 */
export function singleLine<S extends z.ZodString>(schema: S): S {
  return schema.refine(isSingleLineText, {
    message: SINGLE_LINE_TEXT_MESSAGE,
    when: unlessAlreadyRefused,
  });
}

/**
 * Refines a string schema to refuse what {@link isMultiLineText} refuses: free text keeps tab
 * and line breaks.
 *
 * @example
 * ```ts
 * const Notes = multiLine(z.string().max(4000));
 * ```
 */
export function multiLine<S extends z.ZodString>(schema: S): S {
  return schema.refine(isMultiLineText, {
    message: MULTI_LINE_TEXT_MESSAGE,
    when: unlessAlreadyRefused,
  });
}
