import { splitBySize } from '../src/outbox-relay';

const size = (n: number) => n;

test('rows are cut into runs, in order, none above the limit', () => {
  expect(splitBySize([3, 3, 3, 1, 5], size, 6)).toEqual([[3, 3], [3, 1], [5]]);
});

test('a row larger than the limit goes alone, and the rows around it are not held back', () => {
  expect(splitBySize([1, 10, 1, 1], size, 4)).toEqual([[1], [10], [1, 1]]);
});

test('no rows, no runs; everything that fits stays in one run', () => {
  expect(splitBySize([], size, 4)).toEqual([]);
  expect(splitBySize([1, 1, 1, 1], size, 4)).toEqual([[1, 1, 1, 1]]);
});
