/**
 * Where model sets come from: a folder per set holding `manifest.json` and the stage files. The CLI
 * reads a directory (fs-model-source.ts), the browser fetches below a URL (fetch-model-source.ts).
 */
export interface ModelSource {
  /** Names of the sets found, sorted. */
  listSets(): Promise<string[]>;
  /**
   * The set's manifest.json as parsed JSON (checked later by parseManifest). A source may give the
   * same object again while the file's text is unchanged (the host then skips checking it again);
   * it must not give an object whose content changed.
   */
  readManifest(set: string): Promise<unknown>;
  /** The bytes of one file of the set. */
  readFile(set: string, file: string): Promise<Uint8Array>;
  /** Where a set (or one of its files) lives, for messages: a path or a URL. */
  where(set: string, file?: string): string;
  /**
   * A cheap synchronous identity of a model file's current content (Node: inode, size and change
   * times), or undefined when it cannot tell (no such file, or changed too recently to be sure). With
   * it, the host checks a file again whenever its stamp is not the one its bytes were checked under.
   */
  stamp?(set: string, file: string): string | undefined;
}

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Set and file names are single path segments, so a name can never reach outside the models folder. */
export function checkSegment(name: string, what: 'model set' | 'file'): string {
  if (!SAFE.test(name) || name.includes('..')) {
    throw new Error(`${what} name ${JSON.stringify(name)} is not allowed: use letters, digits, ".", "_" and "-" only`);
  }
  return name;
}
