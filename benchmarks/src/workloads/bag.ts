import type { Workload } from '../harness.js';

export const bagWorkloads: Workload[] = [];
