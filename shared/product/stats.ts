/**
 * The statistics behind experiment verdicts: the standard normal CDF, the
 * pooled two-proportion z-test and the unpooled (Wald) interval of a
 * difference of proportions. Plain double arithmetic, no tables.
 *
 * erfc is computed from two exact expansions rather than a fitted
 * polynomial, so it is good to about 1e-14 everywhere: below 3 from the
 * positive-term series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))
 * (no cancellation, unlike the alternating Taylor series), and from 3 on from
 * Laplace's continued fraction erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
 * evaluated by the modified Lentz method. Where the series is used erfc(x) is
 * at least 2e-5, so taking it as 1 − erf loses no more than a few digits.
 */

/** z of a two-sided 95% interval: Φ⁻¹(0.975). */
export const Z95 = 1.959964;

const SQRT_PI = Math.sqrt(Math.PI);
const TINY = 1e-300;

/** The complementary error function, erfc(x) = 1 − erf(x). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) return 1 - erfSeries(x);
  return erfcFraction(x);
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  // terms grow while 2x²/(2n+3) > 1, then fall off geometrically; 200 is far past convergence at x = 3
  for (let n = 0; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 3);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return ((2 / SQRT_PI) * Math.exp(-x2) * sum);
}

function erfcFraction(x: number): number {
  // f = x + a1/(x + a2/(x + …)) with a_n = n/2, by modified Lentz
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? TINY : d;
    c = x + a / c;
    c = c === 0 ? TINY : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** The standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|). */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** The result of comparing two proportions. */
export interface ProportionTest {
  /** (p1 − p2) ÷ pooled standard error; NaN when the pooled error is 0. */
  z: number;
  /** Two-sided p-value; 1 when the pooled error is 0 (both rates 0, or both 1: no difference to see). */
  p: number;
}

/**
 * Pooled two-proportion z-test of x1/n1 against x2/n2:
 * p = (x1 + x2)/(n1 + n2), se = √(p(1−p)(1/n1 + 1/n2)), z = (x1/n1 − x2/n2)/se.
 * Both samples must be non-empty.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ProportionTest {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: NaN, p: 1 };
  const z = (p1 - p2) / se;
  return { z, p: twoSidedP(z) };
}

/**
 * The unpooled (Wald) 95% interval of p1 − p2:
 * (p1 − p2) ± 1.959964 · √(p1(1−p1)/n1 + p2(1−p2)/n2).
 */
export function waldInterval(x1: number, n1: number, x2: number, n2: number): [number, number] {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const diff = p1 - p2;
  const half = Z95 * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return [diff - half, diff + half];
}
