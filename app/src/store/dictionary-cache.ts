/**
 * The workspace dictionaries as stored: append-only chunks of strings, and an
 * in-memory copy per workspace so that storing a page does not reread the
 * whole dictionary. The copy is checked against the stored chunks inside each
 * write transaction (another tab may have appended) and rolled back when a
 * transaction fails, so codes always mean what the stored chunks say.
 */
import { newDictionary, type Dictionary } from "../../../shared/columns.ts";
import { workspaceRange, type TallyDb } from "./db.ts";
import { StoreCorruptError } from "./errors.ts";

const DICT_KEY = "[workspaceId+start]";

interface Entry {
  dict: Dictionary;
  /** Entries known to be stored; those after it belong to a transaction in progress. */
  stored: number;
}

export class DictionaryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly db: TallyDb) {}

  /**
   * The workspace's dictionary, up to date with what is stored. Call inside a
   * transaction over the dictionary table; encode into it, store the entries
   * from `stored` on, then call `commit` or `rollback`.
   */
  async open(workspaceId: string): Promise<{ dict: Dictionary; stored: number }> {
    const last = await this.db.dictionary.where(DICT_KEY).between(...workspaceRange(workspaceId), true, true).last();
    const size = last ? last.start + last.values.length : 0;
    const entry = this.entries.get(workspaceId);
    if (entry && entry.stored === size && (size === 0 || entry.dict.values[size - 1] === last!.values.at(-1))) return entry;
    if (entry && entry.stored < size) {
      const more = await readDictionary(this.db, workspaceId, entry.stored);
      for (const value of more.values) {
        entry.dict.index.set(value, entry.dict.values.length);
        entry.dict.values.push(value);
      }
      entry.stored = size;
      return entry;
    }
    // unknown, or the stored dictionary no longer extends ours (the workspace was removed): read it all
    const fresh: Entry = { dict: newDictionary((await readDictionary(this.db, workspaceId, 0)).values), stored: size };
    this.entries.set(workspaceId, fresh);
    return fresh;
  }

  /**
   * The workspace's dictionary as this cache holds it, without checking the
   * store: only for a caller that knows nothing was written since its own
   * last commit.
   */
  held(workspaceId: string): { dict: Dictionary; stored: number } | undefined {
    return this.entries.get(workspaceId);
  }

  /** The transaction committed: every entry is stored now. */
  commit(workspaceId: string): void {
    const entry = this.entries.get(workspaceId);
    if (entry) entry.stored = entry.dict.values.length;
  }

  /** The transaction failed: forget the entries it added. */
  rollback(workspaceId: string): void {
    const entry = this.entries.get(workspaceId);
    if (!entry) return;
    const { dict, stored } = entry;
    for (let i = stored; i < dict.values.length; i++) dict.index.delete(dict.values[i]!);
    dict.values.length = stored;
  }

  forget(workspaceId: string): void {
    this.entries.delete(workspaceId);
  }
}

/**
 * Stored dictionary entries from code `from` on, checking that the chunks
 * join up; `size` is the number stored in all (less than `from` when the
 * workspace was removed meanwhile).
 */
export async function readDictionary(db: TallyDb, workspaceId: string, from: number): Promise<{ values: string[]; size: number }> {
  const chunks = await db.dictionary.where(DICT_KEY).between([workspaceId, from], [workspaceId, Infinity], true, true).toArray();
  if (from > 0 && chunks[0]?.start !== from) {
    // `from` falls inside a chunk: start from that chunk
    const holding = await db.dictionary.where(DICT_KEY).between([workspaceId, -Infinity], [workspaceId, from], true, false).last();
    if (holding) chunks.unshift(holding);
  }
  const first = chunks[0]?.start ?? 0;
  let at = first;
  const values: string[] = [];
  for (const chunk of chunks) {
    if (chunk.start !== at) throw new StoreCorruptError(`dictionary of ${workspaceId} has a gap at ${at}`);
    for (const v of chunk.values) values.push(v);
    at += chunk.values.length;
  }
  if (first > from) throw new StoreCorruptError(`dictionary of ${workspaceId} has a gap at ${from}`);
  return { values: from >= at ? [] : values.slice(from - first), size: at };
}
