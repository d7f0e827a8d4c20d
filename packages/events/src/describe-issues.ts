import type { z } from 'zod';

/**
 * One line naming every failing field, e.g. `data.amountFen: Invalid input: expected number, received string`.
 * Used in dead-letter reasons and thrown errors, where a person has to see at a glance what was wrong.
 */
export function describeIssues(error: z.ZodError, prefix?: string): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
        .filter((p): p is string => p !== undefined && p !== '')
        .join('.')
        .replace(/\.\[/g, '[');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}
