/**
 * Series colours, shared by charts and breakdown bars so a protocol keeps its
 * colour across panels. Chosen to stay apart for the common kinds of colour
 * blindness (Okabe–Ito based).
 */
export const PALETTE = ["#2563eb", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#6b7280"] as const;

export function colour(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** The colour with alpha, for fills under lines. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
