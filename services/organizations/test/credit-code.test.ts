import { checkCreditCode, composeCreditCode, creditCodeCheckCharacter, orgCodeCheckCharacter } from '../src/domain/credit-code';
import { registrationProblems } from '../src/domain/organizations.use-cases';

/** Real, published codes: both check characters must come out right on each of them. */
const REAL_CODES = [
  { code: '9144030071526726XG', who: '腾讯科技（深圳）有限公司', authority: '工商', category: '企业', orgCode: '71526726-X' },
  { code: '91330100799655058B', who: '阿里巴巴（中国）有限公司', authority: '工商', category: '企业', orgCode: '79965505-8' },
  { code: '91110108551385082Q', who: '小米科技有限责任公司', authority: '工商', category: '企业', orgCode: '55138508-2' },
  { code: '91440300708461136T', who: '华为技术有限公司', authority: '工商', category: '企业', orgCode: '70846113-6' },
  { code: '53100000500021676K', who: '中国扶贫基金会（现中国乡村发展基金会）', authority: '民政', category: '基金会', orgCode: '50002167-6' },
];

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it.each(REAL_CODES)('when the real code of $who is checked, then it is valid and decodes its parts', ({ code, authority, category, orgCode }) => {
    expect(checkCreditCode(code)).toEqual({ valid: true, authority, category, regionCode: code.slice(2, 8), organizationCode: orgCode });
  });

  it('when the check character (position 18) is wrong, then the message names position 18, the expected and the actual character', () => {
    const result = checkCreditCode('91330100799655058C');
    expect(result).toEqual({ valid: false, problems: ['第18位校验码应为 B，实际为 C (check character at position 18 should be B, got C)'] });
  });

  it('when a body character is mistyped, then both check characters report what they should be', () => {
    // 7 → 1 at position 9 breaks the organization code's own check (position 17) and the code's check (18).
    const result = checkCreditCode('91330100199655058B');
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.problems).toEqual([
      expect.stringMatching(/^第17位组织机构代码校验码应为 \w，实际为 8 /),
      expect.stringMatching(/^第18位校验码应为 \w，实际为 B /),
    ]);
  });

  it('when the code holds a letter outside the charset (I, O, Z, S, V), then the message names that position and letter', () => {
    const result = checkCreditCode('9133010079965505OB');
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.problems[0]).toContain('第17位字符「O」不在代码字符集内');
  });

  it('when the length is wrong, then the message gives the length', () => {
    expect(checkCreditCode('9133010079965505')).toEqual({ valid: false, problems: [expect.stringContaining('应为18位，实际为16位')] });
  });

  it('when position 1 is not a registration authority, then it says which codes are allowed', () => {
    const code = 'B1330100799655058';
    const result = checkCreditCode(code + creditCodeCheckCharacter(code));
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.problems).toEqual([expect.stringContaining('第1位登记管理部门代码「B」无效，应为 1、2、3、4、5、6、7、8、9、A、N、Y 之一')]);
  });

  it('when position 2 is not a category of that authority, then it says which categories are allowed (民政: 1, 2, 3, 9)', () => {
    const code = '54110101500021670';
    const result = checkCreditCode(code + creditCodeCheckCharacter(code));
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.problems[0]).toContain('第2位机构类别代码「4」对登记管理部门「民政」无效，应为 1、2、3、9 之一');
  });

  it('when the region code does not start with a province code, or holds a letter, then positions 3-8 are named', () => {
    const badProvince = '52990101' + '50002167' + orgCodeCheckCharacter('50002167');
    const r1 = checkCreditCode(badProvince + creditCodeCheckCharacter(badProvince));
    expect(!r1.valid && r1.problems).toEqual([expect.stringContaining('第3-8位行政区划码「990101」无效')]);
    const letter = '5211A101' + '50002167' + orgCodeCheckCharacter('50002167');
    const r2 = checkCreditCode(letter + creditCodeCheckCharacter(letter));
    expect(!r2.valid && r2.problems).toEqual([expect.stringContaining('第5位应为数字')]);
  });

  it('when a code is composed from its parts, then both check characters are computed and it validates', () => {
    const code = composeCreditCode({ authority: '5', category: '2', region: '110101', orgBody: 'MA01AB3C' });
    expect(code).toMatch(/^52110101MA01AB3C[0-9X][0-9A-HJ-NPQRTUWXY]$/);
    expect(checkCreditCode(code).valid).toBe(true);
  });

  it('when the organization-code check comes out as 10 or 11, then it is written X or 0 (GB 11714)', () => {
    expect(orgCodeCheckCharacter('71526726')).toBe('X'); // Σ = 199, 199 mod 11 = 1, 11 − 1 = 10
    expect(orgCodeCheckCharacter('00000000')).toBe('0'); // Σ = 0, 11 − 0 = 11
    expect(orgCodeCheckCharacter('50002167')).toBe('6');
  });

  it('when the registration type does not match positions 1-2, then the type field is named', () => {
    expect(registrationProblems('53100000500021676K', 'foundation')).toEqual([]);
    expect(registrationProblems('53100000500021676K', 'social_group')).toEqual([
      { path: 'body.registrationType', message: expect.stringContaining('代码第1-2位应为 51，实际为 53') },
    ]);
    expect(registrationProblems('53100000500021676K', 'other')).toEqual([]);
  });
});
