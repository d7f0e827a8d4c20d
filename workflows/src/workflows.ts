// Every workflow the worker runs. This file is bundled for the workflow sandbox: import workflow code only.
export { subDistrictOnboarding } from './sub-district-onboarding/sub-district-onboarding.workflow';
export { projectLifecycle } from './project-lifecycle/project-lifecycle.workflow';
export { tranchePayment } from './project-lifecycle/tranche-payment.workflow';
