import { describePermissionMatrix } from '@linli/testing/src/permission-matrix';
import { startCommunities } from './harness';

describePermissionMatrix('communities', async () => {
  const h = await startCommunities('perm');
  return { url: h.service.url, stop: () => h.stop() };
});
