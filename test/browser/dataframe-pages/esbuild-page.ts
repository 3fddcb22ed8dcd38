/** The dataframe page as bundled by esbuild: the worker is a second entry point, named by URL. */
import { setWorkerSource } from '@pdask/core';
import './page-api';

setWorkerSource({ workerUrl: new URL('./worker.js', import.meta.url) });
