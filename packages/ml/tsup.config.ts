import { collectionBuild } from '../../tsup.collection';

export default collectionBuild({ 'web-worker': 'src/web-worker.ts' });
