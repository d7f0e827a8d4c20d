import { findPlantedNumbers, textOf } from './planted-numbers';

describe('planted-number scan helpers', () => {
  const PHONE = '13933170001';

  it('when a number is in clear, spaced, hyphenated or after +86, then it is found in full', () => {
    for (const text of [`tel ${PHONE}.`, '电话：139 3317 0001', '+86 139-3317-0001', `{"phone":"${PHONE}"}`]) {
      expect(findPlantedNumbers(text, [PHONE]).map((f) => f.form)).toEqual(['full']);
    }
  });

  it('when a mask keeps the middle four digits beside either end, then it is found as a partial leak', () => {
    expect(findPlantedNumbers('1393317****', [PHONE]).map((f) => f.form)).toEqual(['head+middle']);
    expect(findPlantedNumbers('***33170001', [PHONE]).map((f) => f.form)).toEqual(['middle+tail']);
  });

  it('when the number is masked properly or only inside a longer digit run, then nothing is found', () => {
    expect(findPlantedNumbers('139****0001 and 0139331700012 and 9913933170001', [PHONE])).toEqual([]);
  });

  it('when a value holds strings and bytes at any depth, then textOf reads them all (bytes as UTF-8)', () => {
    const text = textOf({ a: [{ data: Buffer.from(`x${PHONE}`) }], b: new Map([['k', new TextEncoder().encode('预审')]]), n: 7 });
    expect(text).toContain(PHONE);
    expect(text).toContain('预审');
    expect(text).toContain('7');
  });
});
