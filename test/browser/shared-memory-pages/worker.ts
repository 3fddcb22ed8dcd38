/** The page's Web Worker: array's operations (with the shared-memory kernels), then serve. */
import '@pdask/array/web-worker';
