import { collectionBuild } from '../../tsup.collection';

export default collectionBuild();
