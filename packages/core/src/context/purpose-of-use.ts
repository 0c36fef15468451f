/**
 * HL7 v3 `PurposeOfUse` codes: why data is being accessed. Audit records carry the code, and
 * access rules may depend on it (break-the-glass needs `ETREAT` or `BTG`).
 *
 * @packageDocumentation
 */
import { z } from 'zod';

/**
 * The supported `PurposeOfUse` codes (HL7 v3 code system 2.16.840.1.113883.1.11.20448).
 *
 * @example
 * ```ts
 * PURPOSES_OF_USE.includes('TREAT'); // true
 * ```
 */
export const PURPOSES_OF_USE = [
  'TREAT',
  'ETREAT',
  'BTG',
  'CAREMGT',
  'COC',
  'HPAYMT',
  'HOPERAT',
  'HSYSADMIN',
  'PATRQT',
  'FAMRQT',
  'PWATRNY',
  'SUPNWK',
  'PUBHLTH',
  'HRESCH',
  'HLEGAL',
  'HMARKT',
] as const;

/**
 * A purpose of use code.
 *
 * @example
 * ```ts
 * PurposeOfUse.parse('HOPERAT');
 * ```
 */
export const PurposeOfUse = z.enum(PURPOSES_OF_USE);
/** A parsed {@link PurposeOfUse}. */
export type PurposeOfUse = z.output<typeof PurposeOfUse>;
