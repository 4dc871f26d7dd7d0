/**
 * Quickselect on a Float64Array range: the k-th smallest value in place,
 * without sorting the range.
 */

// below this many values a range is finished by insertion sort
const SMALL = 24;

/**
 * Rearranges `a[lo..hi)` so that `a[k]` holds the value it would hold were the
 * range sorted, with nothing greater before it and nothing smaller after it.
 * Median-of-three pivots and Hoare partitioning (which keeps runs of equal
 * values balanced); should the pivots keep missing, the rest is sorted, so the
 * worst case stays O(n log n). The range must hold no NaN.
 */
export function selectKth(a: Float64Array, lo: number, hi: number, k: number): void {
  let l = lo;
  let r = hi - 1;
  let budget = 2 * Math.ceil(Math.log2(hi - lo + 1)) + 8;
  while (r - l > SMALL) {
    if (budget-- === 0) {
      a.subarray(l, r + 1).sort();
      return;
    }
    const x = median3(a[l]!, a[(l + r) >>> 1]!, a[r]!);
    let i = l;
    let j = r;
    do {
      while (a[i]! < x) i++;
      while (x < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    // now a[l..j] <= x <= a[i..r], and anything between equals x
    if (j < k) l = i;
    if (k < i) r = j;
    if (l >= r) return;
  }
  insertionSort(a, l, r);
}

function median3(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

function insertionSort(a: Float64Array, l: number, r: number): void {
  for (let i = l + 1; i <= r; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= l && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}
