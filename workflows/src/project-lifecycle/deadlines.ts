import type { Duration } from '@linli/contracts/src/workflows/project-lifecycle';

// Pure date arithmetic for deadlines. Workflow code may call it: Date is deterministic inside workflows.
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** The instant `duration` after `from`; working days skip Saturdays and Sundays in Beijing time. */
export function deadlineAfter(from: Date, duration: Duration): Date {
  if ('ms' in duration) return new Date(from.getTime() + duration.ms);
  const local = new Date(from.getTime() + BEIJING_OFFSET_MS);
  let remaining = duration.workingDays;
  while (remaining > 0) {
    local.setUTCDate(local.getUTCDate() + 1);
    const day = local.getUTCDay();
    if (day !== 0 && day !== 6) remaining--;
  }
  return new Date(local.getTime() - BEIJING_OFFSET_MS);
}

/** "已 6 天" / "已 3 小时" / "已 12 分钟": how long something has been waiting, in words. */
export function elapsedInWords(fromIso: string, now: Date): string {
  const ms = Math.max(0, now.getTime() - Date.parse(fromIso));
  const days = Math.floor(ms / 86_400_000);
  if (days >= 1) return `${days} 天`;
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 1) return `${hours} 小时`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes >= 1) return `${minutes} 分钟`;
  return `${Math.floor(ms / 1000)} 秒`;
}

/** The allowance of a duration in words: "5 个工作日", "3 天", "2 秒". */
export function durationInWords(duration: Duration): string {
  if ('workingDays' in duration) return `${duration.workingDays} 个工作日`;
  const ms = duration.ms;
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} 天`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} 小时`;
  if (ms % 60_000 === 0) return `${ms / 60_000} 分钟`;
  return `${Math.round(ms / 1000)} 秒`;
}

/** Default close-out date: 20 December of the fiscal year, 18:00 Beijing time. */
export function defaultCloseOutBy(fiscalYear: number): Date {
  return new Date(Date.UTC(fiscalYear, 11, 20, 10, 0, 0));
}
