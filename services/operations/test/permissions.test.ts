import { describePermissionMatrix } from '@linli/testing/src/permission-matrix';
import { startOps } from './ops-harness';

describePermissionMatrix('operations', async () => {
  const h = await startOps();
  return { url: h.service.url, stop: () => h.stop() };
});
