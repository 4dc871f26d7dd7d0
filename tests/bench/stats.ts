/**
 * What every bench section shares besides its table: the median of its runs,
 * and progress notes on stderr, labelled by section, that keep stdout for the
 * table alone.
 */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A note-writer for one section: `notes("ingest")("round 1/3 …")`. */
export function notes(section: string): (text: string) => void {
  return (text) => process.stderr.write(`  ${section}: ${text}\n`);
}
