/**
 * `series.dt` (pandas' DatetimeProperties) of a datetime64[ns] series: fields as int32 (missing
 * for NaT), normalize/floor/ceil/round to a fixed frequency, strftime, tzLocalize and tzConvert.
 */
import { lit } from '@pdask/core';
import { dataframeOps } from '../ops/index';
import type { DtField, DtOp } from '../ops/dt-ops';
import { frequencyNs } from '../ops/dt-ops';
import type { TypeDesc } from '../ops/types';
import type { Series } from '../series';
import { checkZone, parseFrequency } from '../types/timestamps';
import { mapSeries, outName } from './column-map';

const I32: TypeDesc = { id: 'int', bits: 32, signed: true };
const STRING: TypeDesc = { id: 'utf8' };

export class DatetimeAccessor {
  private readonly tz: string | null;

  /** @internal Made by `series.dt`. */
  constructor(private readonly s: Series) {
    const t = s.typeDesc;
    if (t.id !== 'timestamp') throw new TypeError(`Series.dt: series '${s.seriesName}' has dtype ${s.dtype}; .dt needs datetime64[ns] values (astype('datetime64[ns]') or readCsv's parseDates)`);
    this.tz = t.tz;
  }

  private apply(spec: DtOp, type: TypeDesc, freq: string | null = null): Series {
    return mapSeries(this.s, `dt-${spec.op}`, [spec, freq], type, (key, part) => dataframeOps.dtColumn.task(key, part, lit(this.s.seriesName), lit(this.tz), lit(spec), lit(freq), outName(this.s), lit(type)));
  }

  private field(field: DtField): Series {
    return this.apply({ op: 'field', field }, I32);
  }

  get year(): Series { return this.field('year'); }
  get month(): Series { return this.field('month'); }
  get day(): Series { return this.field('day'); }
  get hour(): Series { return this.field('hour'); }
  get minute(): Series { return this.field('minute'); }
  get second(): Series { return this.field('second'); }
  get microsecond(): Series { return this.field('microsecond'); }
  get nanosecond(): Series { return this.field('nanosecond'); }
  /** Monday = 0 … Sunday = 6. */
  get dayofweek(): Series { return this.field('dayofweek'); }
  get dayofyear(): Series { return this.field('dayofyear'); }
  get quarter(): Series { return this.field('quarter'); }

  private rounding(how: 'floor' | 'ceil' | 'round', freq: string): Series {
    const method = `Series.dt.${how}`;
    if (typeof freq !== 'string') throw new TypeError(`${method}: expected a frequency such as '1h', got ${typeof freq}`);
    const ns = frequencyNs(parseFrequency(freq), freq, method);
    return this.apply({ op: 'round', how, freq }, this.s.typeDesc, String(ns));
  }

  /** Midnight of each day (in the series' zone). */
  normalize(): Series {
    return this.apply({ op: 'round', how: 'normalize', freq: 'D' }, this.s.typeDesc);
  }
  floor(freq: string): Series { return this.rounding('floor', freq); }
  ceil(freq: string): Series { return this.rounding('ceil', freq); }
  /** To the nearest multiple of freq, halves to even, as pandas. */
  round(freq: string): Series { return this.rounding('round', freq); }

  /** Texts by Python's strftime directives (%Y-%m-%d %H:%M:%S, %f, %j, %a, %b, %z, …). */
  strftime(format: string): Series {
    if (typeof format !== 'string') throw new TypeError(`Series.dt.strftime: expected a format string, got ${typeof format}`);
    return this.apply({ op: 'strftime', format }, STRING);
  }

  /** Naive times as wall times of zone tz (ambiguous or skipped times fail, as pandas' default); null makes aware times naive (local wall time). */
  tzLocalize(tz: string | null): Series {
    const method = 'Series.dt.tzLocalize';
    if (tz !== null && this.tz !== null) throw new TypeError(`${method}: series '${this.s.seriesName}' is already in ${this.tz}; use tzConvert`);
    if (tz === null && this.tz === null) throw new TypeError(`${method}: series '${this.s.seriesName}' is already naive`);
    if (tz !== null) checkZone(tz, method);
    return this.apply({ op: 'tz', how: 'localize', tz }, { id: 'timestamp', unit: 'ns', tz });
  }

  /** The same instants in another zone (null: naive UTC). */
  tzConvert(tz: string | null): Series {
    const method = 'Series.dt.tzConvert';
    if (this.tz === null) throw new TypeError(`${method}: series '${this.s.seriesName}' is naive (no time zone); use tzLocalize first`);
    if (tz !== null) checkZone(tz, method);
    return this.apply({ op: 'tz', how: 'convert', tz }, { id: 'timestamp', unit: 'ns', tz });
  }
}
