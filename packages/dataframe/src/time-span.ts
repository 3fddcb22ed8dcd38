/**
 * A fixed time span ('2h', '30min', '1D') in nanoseconds for rolling windows and resample bins.
 * Calendar frequencies (month 'M', week 'W', quarter 'Q', year 'Y'/'A', business day 'B') have no
 * fixed length and are refused, so that pandas' '1M' (a month) is never read as one minute.
 */
import { parseFrequency } from './types/timestamps';

const CALENDAR = /^[+-]?\d*\s*(M|MS|SM|SMS|BM|BMS|CBM|W(-[A-Z]{3})?|Q|QS|BQ|BQS|Q-[A-Z]{3}|Y|YS|A|AS|BA|BAS|BY|BYS|A-[A-Z]{3}|Y-[A-Z]{3}|B|C|BH|CBH)$/;

export function fixedSpan(text: unknown): bigint | null {
  if (typeof text !== 'string' || CALENDAR.test(text.trim())) return null;
  const ns = parseFrequency(text);
  return ns !== null && ns > 0n ? ns : null;
}
