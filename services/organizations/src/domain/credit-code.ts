/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015 "法人和其他组织统一社会信用代码编码规则".
 *
 *   position  1     登记管理部门代码 (registration authority kind)      one character
 *   position  2     机构类别代码 (organization category, per authority)  one character
 *   positions 3–8   登记管理机关行政区划码 (GB/T 2260 region code)        six digits
 *   positions 9–17  主体标识码 (the GB 11714 organization code; 17 is its own check character)
 *   position  18    校验码 (check character over positions 1–17)
 *
 * The authority and category tables are the standard's Table 1 (1, 5, 9, Y) together with the codes
 * assigned to further registration authorities since (2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会,
 * A 中央军委改革和编制办公室, N 农业). Pure: no I/O, so the rules are unit-tested on known real codes.
 */

/** The code's character set: digits and upper-case letters except I, O, Z, S, V (too easily misread). */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weight of position i (1-based) is 3^(i-1) mod 31. */
export const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
/** GB 11714 organization-code weights for its eight body characters. */
export const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

export const REGISTRATION_AUTHORITIES: Record<string, { label: string; categories: Record<string, string> }> = {
  '1': { label: '机构编制', categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { label: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': { label: '司法行政', categories: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' } },
  '4': { label: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { label: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { label: '旅游', categories: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { label: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { label: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { label: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { label: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: { label: '农业', categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { label: '其他', categories: { '1': '其他' } },
};

/**
 * First two digits of GB/T 2260 region codes (provinces, autonomous regions, municipalities, HK/Macao/
 * Taiwan). The full county list changes every year, so only the province part is checked; `100000`
 * is the code national-level registrations carry (e.g. foundations registered with the Ministry).
 */
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);
const NATIONAL_REGION = '100000';

/** GB 11714 value of an organization-code character: digits as themselves, letters A=10 … Z=35. */
function orgCodeValue(ch: string): number {
  return /[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
}

/** The GB 11714 check character for the eight body characters (11 → '0', 10 → 'X'). */
export function orgCodeCheckCharacter(body8: string): string {
  const sum = [...body8].reduce((acc, ch, i) => acc + orgCodeValue(ch) * ORG_CODE_WEIGHTS[i]!, 0);
  const c = 11 - (sum % 11);
  return c === 11 ? '0' : c === 10 ? 'X' : String(c);
}

/** The GB 32100 check character (position 18) for the first 17 characters (31 → '0'). */
export function creditCodeCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + CREDIT_CODE_CHARSET.indexOf(ch) * CREDIT_CODE_WEIGHTS[i]!, 0);
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

export type CreditCodeCheck =
  | { valid: true; authority: string; category: string; regionCode: string; organizationCode: string }
  | { valid: false; problems: string[] };

/**
 * Checks a code against the standard and says, for every problem, which character is wrong and what it
 * should be. Check characters are only compared when everything they are computed from is well-formed,
 * so one typo yields one message, not a cascade.
 */
export function checkCreditCode(input: string): CreditCodeCheck {
  const code = input.trim().toUpperCase();
  const problems: string[] = [];
  if (code.length !== 18) {
    return { valid: false, problems: [`统一社会信用代码应为18位，实际为${code.length}位 (a unified social credit code has 18 characters, got ${code.length})`] };
  }
  const chars = [...code];
  const badCharset = chars
    .map((ch, i) => ({ ch, position: i + 1 }))
    .filter(({ ch }) => !CREDIT_CODE_CHARSET.includes(ch));
  for (const { ch, position } of badCharset) {
    problems.push(
      `第${position}位字符「${ch}」不在代码字符集内（0-9 及除 I、O、Z、S、V 外的大写字母） (character at position ${position} "${ch}" is not allowed: digits and capital letters except I, O, Z, S, V)`,
    );
  }

  const authorityCode = chars[0]!;
  const authority = REGISTRATION_AUTHORITIES[authorityCode];
  if (!authority) {
    if (CREDIT_CODE_CHARSET.includes(authorityCode)) {
      problems.push(
        `第1位登记管理部门代码「${authorityCode}」无效，应为 ${Object.keys(REGISTRATION_AUTHORITIES).join('、')} 之一 (registration authority code at position 1 "${authorityCode}" must be one of ${Object.keys(REGISTRATION_AUTHORITIES).join(', ')})`,
      );
    }
  } else {
    const categoryCode = chars[1]!;
    if (!authority.categories[categoryCode] && CREDIT_CODE_CHARSET.includes(categoryCode)) {
      const allowed = Object.keys(authority.categories);
      problems.push(
        `第2位机构类别代码「${categoryCode}」对登记管理部门「${authority.label}」无效，应为 ${allowed.join('、')} 之一 (organization category at position 2 "${categoryCode}" is not defined for authority ${authorityCode}; expected one of ${allowed.join(', ')})`,
      );
    }
  }

  const region = code.slice(2, 8);
  const nonDigit = [...region].findIndex((ch) => !/[0-9]/.test(ch));
  if (nonDigit >= 0) {
    problems.push(`第${nonDigit + 3}位应为数字（第3-8位为行政区划码） (position ${nonDigit + 3} must be a digit: positions 3-8 are the region code)`);
  } else if (region !== NATIONAL_REGION && !PROVINCE_PREFIXES.has(region.slice(0, 2))) {
    problems.push(
      `第3-8位行政区划码「${region}」无效：前两位「${region.slice(0, 2)}」不是省级行政区划代码 (region code at positions 3-8 "${region}" does not start with a province code)`,
    );
  }

  const orgBody = code.slice(8, 16);
  const orgCheck = chars[16]!;
  const orgWellFormed = [...orgBody].every((ch) => CREDIT_CODE_CHARSET.includes(ch));
  if (orgWellFormed) {
    const expected = orgCodeCheckCharacter(orgBody);
    if (orgCheck !== expected) {
      problems.push(
        `第17位组织机构代码校验码应为 ${expected}，实际为 ${orgCheck} (organization code check character at position 17 should be ${expected}, got ${orgCheck})`,
      );
    }
  }

  const first17 = code.slice(0, 17);
  if ([...first17].every((ch) => CREDIT_CODE_CHARSET.includes(ch))) {
    const expected = creditCodeCheckCharacter(first17);
    const actual = chars[17]!;
    if (actual !== expected) {
      problems.push(`第18位校验码应为 ${expected}，实际为 ${actual} (check character at position 18 should be ${expected}, got ${actual})`);
    }
  }

  if (problems.length) return { valid: false, problems };
  return {
    valid: true,
    authority: authority!.label,
    category: authority!.categories[chars[1]!]!,
    regionCode: region,
    organizationCode: `${orgBody}-${orgCheck}`,
  };
}

/** Builds a valid code from its parts (demo data and tests): computes both check characters. */
export function composeCreditCode(parts: { authority: string; category: string; region: string; orgBody: string }): string {
  const first17 = `${parts.authority}${parts.category}${parts.region}${parts.orgBody}${orgCodeCheckCharacter(parts.orgBody)}`;
  const code = `${first17}${creditCodeCheckCharacter(first17)}`;
  const check = checkCreditCode(code);
  if (!check.valid) throw new Error(`cannot compose a valid code from ${JSON.stringify(parts)}: ${check.problems.join('; ')}`);
  return code;
}
