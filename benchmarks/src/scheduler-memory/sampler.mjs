// Preloaded into `pdask-scheduler` (run with --expose-gc) by scheduler-memory.ts: on the IPC
// message 'sample', collects garbage and answers with the process's memory and the sizes of the
// scheduler's tables, so that a growth can be traced to the structure that grows.
let scheduler;

export function pdaskSetup(s) {
  scheduler = s;
  process.on('message', (m) => {
    if (m !== 'sample') return;
    globalThis.gc?.();
    globalThis.gc?.();
    const mem = process.memoryUsage();
    const size = (x) => (x instanceof Map || x instanceof Set ? x.size : Array.isArray(x) ? x.length : x?.constructor?.name === 'StoryLog' ? x.size : undefined);
    const tables = {};
    for (const [name, v] of Object.entries(scheduler)) {
      const n = size(v);
      if (n !== undefined) tables[name] = n;
    }
    const state = scheduler.state;
    if (state) {
      tables['state.tasks'] = state.tasks.size;
      tables['state.workers'] = state.workers.size;
    }
    const policy = scheduler.policy;
    if (policy) {
      tables['policy.restrictions'] = policy.restrictions.size;
      tables['policy.traits'] = policy.traits.size;
    }
    for (const c of scheduler.clients.values()) {
      tables['client.wanted'] = (tables['client.wanted'] ?? 0) + c.wanted.size;
      tables['client.progress'] = (tables['client.progress'] ?? 0) + c.progress.size;
      tables['client.ops'] = (tables['client.ops'] ?? 0) + c.ops.length;
    }
    for (const w of scheduler.workers.values()) tables['worker.ops'] = (tables['worker.ops'] ?? 0) + (w.ops.byText?.size ?? 0);
    process.send({ heapUsed: mem.heapUsed, rss: mem.rss, external: mem.external, arrayBuffers: mem.arrayBuffers, tables });
  });
}
