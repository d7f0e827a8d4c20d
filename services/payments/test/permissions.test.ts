import { describePermissionMatrix } from '@linli/testing/src/permission-matrix';
import { startPayments } from './payments-harness';

describePermissionMatrix('payments', async () => {
  const h = await startPayments();
  return { url: h.service.url, stop: () => h.stop() };
});
