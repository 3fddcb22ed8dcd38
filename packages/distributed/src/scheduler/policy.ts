/**
 * Placement on a cluster: core's locality-and-load policy, plus what only a cluster has — workers
 * that are paused (memory pressure) take nothing, and tasks restricted to some workers or needing
 * resources (`{ GPU: 1 }`) go only where they may run: when no worker with room may take one, the
 * policy declines and the task waits (the state machine offers it again whenever it places work,
 * e.g. when a worker frees a slot or joins).
 *
 * Resources are counted down while tasks hold them, as in Dask: what a worker has in use is derived
 * each time from the tasks currently assigned to it (`w.processing`) and their recorded needs, so
 * there is no separate tally that could drift; a task whose needs would exceed what is left waits.
 */
import { checkOptions, intAtLeast, LocalityPolicy, type LocalityPolicyOptions, type OptionSchema, type PlacementPolicy, type TaskState, type WorkerId, type WorkerState } from '@pdask/core';
import { bytes, millis } from '../options';

const POLICY_OPTIONS: OptionSchema<LocalityPolicyOptions> = {
  targetBatchMs: millis,
  initialDepth: intAtLeast(1),
  minDepth: intAtLeast(1),
  maxDepth: intAtLeast(1),
  waitForBytes: bytes,
};

export interface TaskRestriction {
  /** Worker ids (addresses) or names the task may run on. */
  workers?: ReadonlySet<string>;
  /** Resource amounts the task needs while it runs. */
  resources?: Readonly<Record<string, number>>;
}

export interface WorkerTraits {
  name: string;
  resources: Readonly<Record<string, number>>;
  paused: boolean;
}

/**
 * Core's policy, told which holders are worth waiting for: restrictions win over locality (a task
 * that may not run on the holder of a large input has that input copied to a worker it may run
 * on), and a paused holder takes nothing, so waiting for it could last until memory frees.
 */
class ClusterLocality extends LocalityPolicy {
  /** Set right after construction by the ClusterPolicy this serves. */
  cluster: ClusterPolicy | undefined;

  protected override mayWaitFor(ts: TaskState, w: WorkerState): boolean {
    return !this.cluster || (this.cluster.allows(ts, w) && !this.cluster.traits.get(w.id)?.paused);
  }
}

/** Where the tasks of p2p shuffles may run (scheduler-shuffles.ts). */
export interface ShuffleRestrictions {
  restricts(key: string): boolean;
  workersFor(ts: TaskState): ReadonlySet<string> | undefined;
}

export class ClusterPolicy implements PlacementPolicy {
  private readonly base: LocalityPolicy;
  readonly restrictions = new Map<string, TaskRestriction>();
  readonly traits = new Map<WorkerId, WorkerTraits>();
  /** Output owners and run members of p2p shuffles. */
  shuffles: ShuffleRestrictions | undefined;

  constructor(opts: LocalityPolicyOptions = {}) {
    checkOptions('ClusterPolicy', opts, POLICY_OPTIONS);
    const base = new ClusterLocality(opts);
    base.cluster = this;
    this.base = base;
  }

  capacity(w: WorkerState): number {
    return this.traits.get(w.id)?.paused ? 0 : this.base.capacity(w);
  }

  /** Whether a task may run on a worker (its restrictions allow it). */
  allows(ts: TaskState, w: WorkerState): boolean {
    const only = this.shuffles?.workersFor(ts);
    if (only && !only.has(w.id)) return false;
    const r = this.restrictions.get(ts.key);
    if (!r) return true;
    const t = this.traits.get(w.id);
    if (r.workers && !r.workers.has(w.id) && !(t && r.workers.has(t.name))) return false;
    if (r.resources) {
      for (const [name, need] of Object.entries(r.resources)) if ((t?.resources[name] ?? 0) < need) return false;
    }
    return true;
  }

  /** Resource amounts held by the tasks assigned to a worker (other than `except`). */
  inUse(w: WorkerState, except?: TaskState): Map<string, number> {
    const used = new Map<string, number>();
    for (const p of w.processing) {
      if (p === except) continue;
      const res = this.restrictions.get(p.key)?.resources;
      if (res) for (const [name, n] of Object.entries(res)) used.set(name, (used.get(name) ?? 0) + n);
    }
    return used;
  }

  /** Whether a task may run on a worker now: allowed there, and its resource needs fit in what is free. */
  fits(ts: TaskState, w: WorkerState): boolean {
    if (!this.allows(ts, w)) return false;
    const res = this.restrictions.get(ts.key)?.resources;
    if (!res) return true;
    const entries = Object.entries(res).filter(([, n]) => n > 0);
    if (!entries.length) return true;
    const have = this.traits.get(w.id)?.resources ?? {};
    const used = this.inUse(w, ts);
    for (const [name, need] of entries) if ((used.get(name) ?? 0) + need > (have[name] ?? 0)) return false;
    return true;
  }

  choose(ts: TaskState, candidates: readonly WorkerState[]): WorkerState | undefined {
    if ((this.restrictions.size && this.restrictions.has(ts.key)) || this.shuffles?.restricts(ts.key)) {
      const ok = candidates.filter((c) => this.fits(ts, c));
      return ok.length ? this.base.choose(ts, ok) : undefined;
    }
    return this.base.choose(ts, candidates);
  }
}
