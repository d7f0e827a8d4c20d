import { describePermissionMatrix } from '@linli/testing/src/permission-matrix';
import { startSupervision } from './harness';

describePermissionMatrix('supervision', async () => {
  const h = await startSupervision('perm');
  return { url: h.service.url, stop: () => h.stop() };
});
