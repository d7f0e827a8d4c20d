import { randomUUID } from 'node:crypto';
import { CloseOutSubmitted, type CloseOutView, type SubmitCloseOutBody } from '@linli/contracts';
import { buildEvent } from '@linli/events';
import { ConflictError, NotFoundError } from '@linli/http';
import { scrubText } from '@linli/logger';
import { SOURCE, resourceOf, type Caller, type SupervisionDeps } from './context';
import { beijingDate } from './dates';
import { loadContract } from './views';

/**
 * 结项材料: the organization hands in its year's material — the final report (结项报告), a summary and
 * any other documents — once per contract. It may do so as soon as the contract is known here; the
 * year-end evaluation (evaluations.use-cases.ts) waits for it and counts the report as present. The event
 * moves the project's lifecycle to 结项评估 (through the lifecycle bridge).
 */
export async function submitCloseOut(deps: SupervisionDeps, contractId: string, input: SubmitCloseOutBody, caller: Caller): Promise<CloseOutView> {
  return deps.uow.run(async (work) => {
    const { contract } = await loadContract(work, contractId, { lock: true });
    caller.may(resourceOf(contract));
    const first = await work.closeOuts.findByContract(contractId);
    if (first) {
      throw new ConflictError(`该合同已于 ${beijingDate(new Date(first.submittedAt))} 提交结项材料，不能重复提交 (close-out already submitted)`, {
        closeOutId: first.id,
        submittedAt: first.submittedAt,
      });
    }
    // Free text may carry a participant's mobile number; it is masked like every other note.
    const closeOut = await work.closeOuts.create({
      id: randomUUID(),
      contractId,
      projectId: contract.projectId,
      organizationId: contract.organizationId,
      finalReport: { title: scrubText(input.finalReport.title), text: maybeScrub(input.finalReport.text), url: input.finalReport.url ?? null },
      summary: scrubText(input.summary),
      documents: input.documents.map((d) => ({ name: d.name, url: d.url ?? null, text: maybeScrub(d.text) })),
      submittedAt: deps.now().toISOString(),
      submittedBy: caller.actor,
    });
    await work.outbox.append(
      'supervision',
      buildEvent(CloseOutSubmitted, {
        source: SOURCE,
        subject: contractId,
        actor: caller.actor,
        data: { closeOutId: closeOut.id, contractId, projectId: contract.projectId, organizationId: contract.organizationId, submittedAt: closeOut.submittedAt },
      }),
    );
    return closeOut;
  });
}

export async function getCloseOut(deps: SupervisionDeps, contractId: string, caller: Caller): Promise<CloseOutView> {
  const { contract } = await loadContract(deps.uow.read, contractId);
  caller.may(resourceOf(contract));
  const closeOut = await deps.uow.read.closeOuts.findByContract(contractId);
  if (!closeOut) throw new NotFoundError('close-out of contract', contractId);
  return closeOut;
}

const maybeScrub = (text: string | undefined): string | null => (text === undefined ? null : scrubText(text));
