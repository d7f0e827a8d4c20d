import { describePermissionMatrix } from '@linli/testing/src/permission-matrix';
import { startOrganizations } from './harness';

describePermissionMatrix('organizations', async () => {
  const h = await startOrganizations('perm');
  return { url: h.service.url, stop: () => h.stop() };
});
