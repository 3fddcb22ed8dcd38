/** Turning computed partitions into the caller's result (the collections' finalize step). */
import type { LocalFrame } from '../local/frame';
import type { LocalSeries } from '../local/series';
import { localFrameOf, localSeriesOf } from './local';
import { decodePart, type Part } from './part';

/** `indexNames`: one per index level the partitions carry (none for row positions). */
export const toLocalFrame = (parts: readonly Part[], indexNames: readonly (string | null)[]): LocalFrame =>
  localFrameOf(parts.map(decodePart), indexNames);

export const toLocalSeries = (parts: readonly Part[], column: string, name: string | null, indexNames: readonly (string | null)[]): LocalSeries =>
  localSeriesOf(parts.map(decodePart), column, name, indexNames);
