/**
 * Whether writing the module may go ahead without asking. A module this
 * notebook wrote and nobody touched since is replaced; anything else (edited on
 * disk since, or a file this notebook never wrote) needs the user's yes.
 */

/** What the last export of a notebook wrote: where, and a hash of the text. */
export interface ExportRecord {
  target: string;
  hash: string;
}

/** What to do with the file at the target. */
export type WriteDecision =
  | { action: 'write' }
  /** The file already holds exactly this text. */
  | { action: 'unchanged' }
  | { action: 'ask'; reason: 'edited' | 'foreign'; message: string };

export interface WriteSituation {
  target: string;
  /** The module about to be written. */
  text: string;
  /** The file's current text; `undefined` when there is none. */
  existing?: string;
  /** What this notebook's last export wrote, if it exported before. */
  record?: ExportRecord;
  /** The notebook a generated file's header names, when the file has such a header. */
  generatedFrom?: string;
  hash: (text: string) => string;
}

/**
 * Decides between writing, doing nothing and asking.
 *
 * @example
 * ```ts
 * decideWrite({ target: "a.ts", text, existing: undefined, hash }); // { action: "write" }
 * ```
 */
export function decideWrite(situation: WriteSituation): WriteDecision {
  const { target, text, existing, record, generatedFrom, hash } = situation;
  if (existing === undefined) {
    return { action: 'write' };
  }
  if (existing === text) {
    return { action: 'unchanged' };
  }
  if (record && record.target === target) {
    return record.hash === hash(existing)
      ? { action: 'write' }
      : {
          action: 'ask',
          reason: 'edited',
          message: `${target} changed on disk since this notebook last exported it. Overwrite the changes with the new export?`
        };
  }
  const origin = generatedFrom !== undefined ? ` (its header says it was generated from ${generatedFrom})` : '';
  return {
    action: 'ask',
    reason: 'foreign',
    message: `${target} already exists, and this notebook did not write it${origin}. Overwrite it with the export?`
  };
}
