/**
 * The export-only columns (ids, seqs, receive times) of segments a reader
 * loaded earlier, found even when those segments were sealed since.
 */
import { pickTextKinds } from "../../../shared/columns.ts";
import type { TallyDb } from "./db.ts";
import { StoreCorruptError, toStoreError } from "./errors.ts";
import { detailsMatch, SEALED, unpackDetails, type SegmentDetails } from "./segment-rows.ts";

const KEY = "[workspaceId+firstSeq]";

/**
 * The ids, seqs and receive times of the given segments (by firstSeq), for
 * export: each from its first event to the end of the stored segment now
 * holding it. A caller may hold segments loaded before they were topped up
 * or sealed into a larger one; its rows are then a prefix of what it gets.
 */
export async function loadSegmentDetails(db: TallyDb, workspaceId: string, firstSeqs: readonly number[]): Promise<Map<number, SegmentDetails>> {
  try {
    return await db.transaction("r", [db.packedSegments, db.segmentDetails], async () => {
      const rows = await db.segmentDetails.bulkGet(firstSeqs.map((s): [string, number] => [workspaceId, s]));
      const out = new Map<number, SegmentDetails>();
      const sealedDetails = new Map<number, SegmentDetails>();
      for (let i = 0; i < firstSeqs.length; i++) {
        const firstSeq = firstSeqs[i]!;
        const row = rows[i];
        if (row) {
          out.set(firstSeq, unpackDetails(row));
          continue;
        }
        // sealed since it was loaded: it is now inside the sealed segment starting before it
        const missing = new StoreCorruptError(`segment ${workspaceId}/${firstSeq} has no details`);
        const sealed = await db.packedSegments.where(KEY).between([workspaceId, -Infinity], [workspaceId, firstSeq], true, false).last();
        if (!sealed || sealed.tier !== SEALED || sealed.lastSeq < firstSeq) throw missing;
        let details = sealedDetails.get(sealed.firstSeq);
        if (!details) {
          const detailsRow = await db.segmentDetails.get([workspaceId, sealed.firstSeq]);
          if (!detailsMatch(detailsRow, sealed.count)) throw missing;
          sealedDetails.set(sealed.firstSeq, (details = unpackDetails(detailsRow)));
        }
        const at = indexOfSeq(details.seq, firstSeq);
        if (at === -1) throw missing;
        const textKinds = pickTextKinds(details.textKinds, (kinds) => kinds.subarray(at));
        out.set(firstSeq, { ids: details.ids.slice(at), seq: details.seq.subarray(at), receivedAt: details.receivedAt.subarray(at), ...(textKinds !== undefined && { textKinds }) });
      }
      return out;
    });
  } catch (err) {
    throw toStoreError(err, "loading event details");
  }
}

// the index of `seq` in a segment's ascending seqs, or -1
function indexOfSeq(seqs: Float64Array, seq: number): number {
  let lo = 0;
  let hi = seqs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = seqs[mid]!;
    if (v === seq) return mid;
    if (v < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
