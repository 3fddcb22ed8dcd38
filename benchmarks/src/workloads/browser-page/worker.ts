/** The benchmark page's Web Worker: array's operations (with the shared-memory kernels) and dataframe's, then serve. */
import '@pdask/array/web-worker';
import '@pdask/dataframe/web-worker';
