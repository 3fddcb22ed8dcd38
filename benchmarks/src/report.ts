import { speedupOf, type WorkloadResult } from './harness.js';

function fmtMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} µs`;
}

function fmtRate(count: number, unit: string, ms: number): string {
  const perS = (count / ms) * 1000;
  const v = perS >= 1e6 ? `${(perS / 1e6).toFixed(2)}M` : perS >= 1e3 ? `${(perS / 1e3).toFixed(1)}k` : perS.toFixed(0);
  return `${v} ${unit}/s`;
}

/** One Markdown table per workload: median, throughput, and speed relative to the reference. */
export function toMarkdown(results: WorkloadResult[], header: string): string {
  const out: string[] = [header, ''];
  for (const r of results) {
    out.push(`### ${r.id}`, '', r.description, '');
    const withMem = r.systems.some((s) => s.peakRssMiB !== undefined);
    out.push(`| system | median | throughput | vs ${r.reference} |${withMem ? ' peak RSS |' : ''}`, `|---|---|---|---|${withMem ? '---|' : ''}`);
    for (const s of r.systems) {
      if (s.status !== 'ok' || s.medianMs === undefined) {
        out.push(`| ${s.system} | ${s.status}: ${s.reason ?? ''} | | |${withMem ? ' |' : ''}`);
        continue;
      }
      const ratio = speedupOf(r, s.system, r.reference);
      const rate = r.items ? fmtRate(r.items.count, r.items.unit, s.medianMs) : '';
      const mem = withMem ? ` ${s.peakRssMiB === undefined ? '—' : `${s.peakRssMiB.toFixed(0)} MiB`} |` : '';
      out.push(`| ${s.system} | ${fmtMs(s.medianMs)} | ${rate} | ${ratio === undefined ? '—' : `${ratio.lowerBound ? '≥ ' : ''}${ratio.value.toFixed(2)}x`} |${mem}`);
    }
    for (const t of r.targets) {
      const got = t.measured === undefined ? 'not measured (a system was absent)' : `${t.lowerBound ? 'at least ' : ''}${t.measured.toFixed(2)}x`;
      const want = t.atLeast >= 1 ? `at least ${t.atLeast}x faster than ${t.vs}` : `at least ${t.atLeast}x the speed of ${t.vs}`;
      out.push('', `Target: ${t.system} ${want} — measured ${got}${t.met === undefined ? '' : t.met ? ' (met)' : ' (NOT met)'}`);
    }
    out.push('');
  }
  return out.join('\n');
}
