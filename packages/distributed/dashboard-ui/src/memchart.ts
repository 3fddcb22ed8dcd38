/** Cluster memory over time (managed / unmanaged / spilled sums) with uPlot. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MemorySample } from '../../src/dashboard/protocol.js';
import { fmtBytes } from './format.js';
import { MEMORY_COLORS } from './widgets.js';

export class MemoryChart {
  private plot: uPlot | null = null;
  private last: readonly MemorySample[] | null = null;

  constructor(private readonly el: HTMLElement, private readonly height = 180) {}

  update(samples: readonly MemorySample[]): void {
    if (samples === this.last) return;
    this.last = samples;
    const data: uPlot.AlignedData = [
      samples.map((s) => s.time / 1000),
      samples.map((s) => s.managed),
      samples.map((s) => s.unmanaged),
      samples.map((s) => s.spilled),
    ];
    if (!this.plot) {
      const width = Math.max(300, this.el.clientWidth || 600);
      const series = (label: string, stroke: string): uPlot.Series => ({ label, stroke, width: 1.5, points: { show: false }, value: (_u, v) => (v === null ? '—' : fmtBytes(v)) });
      this.plot = new uPlot(
        {
          width,
          height: this.height,
          series: [{}, series('managed', MEMORY_COLORS.managed), series('unmanaged', MEMORY_COLORS.unmanaged), series('spilled', MEMORY_COLORS.spilled)],
          axes: [{}, { size: 84, values: (_u, ticks) => ticks.map((t) => fmtBytes(t)) }],
          scales: { x: { time: true } },
        },
        data,
        this.el,
      );
    } else this.plot.setData(data);
  }
}
