import type { Workload } from '../harness.js';

export const arrayWorkloads: Workload[] = [];
