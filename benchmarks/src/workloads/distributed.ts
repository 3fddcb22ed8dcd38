import type { Workload } from '../harness.js';

export const distributedWorkloads: Workload[] = [];
