import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (`failureConverterPath`), because the worker bundles it into the workflow sandbox.
 * Failures' messages and stack traces move into an encoded payload that the codec seals: a refusal
 * reason or an activity's error text may quote what a person typed, and failures are stored in histories.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
