/** The benchmark page's Web Worker: array's and dataframe's operations, then serve. */
import '@pdask/array/web-worker';
// The shared-memory kernels inlined, so large arrays go to the arena and are reduced in place
// (without it a page has no arena: blocks sit in a SharedArrayBuffer and are copied to be reduced).
import '@pdask/kernels/shared';
import { dataframeOps } from '@pdask/dataframe/ops';
import { serveWorker } from '@pdask/core/web-worker';

// @pdask/dataframe/web-worker is not published yet: the catalogue is registered here by hand.
serveWorker(dataframeOps);
