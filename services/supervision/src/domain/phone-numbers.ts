/**
 * Participants' mobile numbers (签到单). The rules are here; how they are kept secret at rest is
 * data-access/phone-vault.ts.
 */
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** `+86 138-1234-5678` → `13812345678`; null when it is not a mainland mobile number. */
export function normalizeMobile(input: string): string | null {
  let digits = input.replace(/[\s-]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return MAINLAND_MOBILE.test(digits) ? digits : null;
}

/** `13812345678` → `138****1234`: what everyone sees, except in the logged reveal. */
export function maskMobile(normalized: string): string {
  return `${normalized.slice(0, 3)}****${normalized.slice(7)}`;
}
