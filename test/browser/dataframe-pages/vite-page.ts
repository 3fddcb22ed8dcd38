/** The dataframe page as bundled by vite: the worker is found by vite from `new Worker(new URL(...))`. */
import { setWorkerSource } from '@pdask/core';
import './page-api';

setWorkerSource({ createWorker: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }) });
