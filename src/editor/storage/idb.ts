/**
 * Browser storage in one IndexedDB database: `photos` holds input images keyed by their sha256
 * (so a workflow names a photo by content), `state` holds the autosaved workflow, `library` the
 * workflows saved by name (storage/library.ts).
 * When the browser refuses IndexedDB (a third-party iframe, e.g. a plugin panel, with third-party
 * storage blocked), everything is kept in memory for the page's life instead, so the page still works.
 */
const DB_NAME = 'disco-nodes';
const STORES = ['photos', 'state', 'library'] as const;
/** Bumped when a store is added (the upgrade creates the missing ones). */
const DB_VERSION = 2;
type Store = (typeof STORES)[number];

let dbPromise: Promise<IDBDatabase | undefined> | undefined;
/** Why IndexedDB is not used, once that is known (then `memory` holds the data). */
let refused: string | undefined;
const memory = new Map<string, unknown>();

function db(): Promise<IDBDatabase | undefined> {
  dbPromise ??= new Promise((resolve) => {
    const useMemory = (why: string) => {
      refused = why;
      console.warn(`browser storage is unavailable (${why}): photos and workflows are kept in memory for this page only`);
      resolve(undefined);
    };
    let req: IDBOpenDBRequest;
    try {
      req = indexedDB.open(DB_NAME, DB_VERSION);
    } catch (e) {
      return useMemory((e as Error).message);
    }
    req.onupgradeneeded = () => {
      for (const s of STORES) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => useMemory(req.error?.message ?? 'unknown error');
  });
  return dbPromise;
}

/** 'indexeddb', or 'memory' with the reason the browser gave (data then lasts only as long as the page). */
export async function storageMode(): Promise<{ kind: 'indexeddb' } | { kind: 'memory'; reason: string }> {
  return (await db()) ? { kind: 'indexeddb' } : { kind: 'memory', reason: refused ?? 'unknown' };
}

async function tx<T>(store: Store, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>, inMemory: (key: string) => T): Promise<T> {
  const d = await db();
  if (!d) return inMemory(store);
  return new Promise((resolve, reject) => {
    const req = op(d.transaction(store, mode).objectStore(store));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`browser storage (${store}): ${req.error?.message}`));
  });
}

export const idbGet = <T>(store: Store, key: string) => tx<T | undefined>(store, 'readonly', (s) => s.get(key), (st) => memory.get(`${st}/${key}`) as T | undefined);
export const idbPut = (store: Store, key: string, value: unknown) =>
  tx<unknown>(store, 'readwrite', (s) => s.put(value, key) as IDBRequest<unknown>, (st) => memory.set(`${st}/${key}`, value)).then(() => undefined);

export const idbDelete = (store: Store, key: string) =>
  tx<unknown>(store, 'readwrite', (s) => s.delete(key) as IDBRequest<unknown>, (st) => memory.delete(`${st}/${key}`)).then(() => undefined);

/** Every value of a store. */
export const idbAll = <T>(store: Store) => tx<T[]>(store, 'readonly', (s) => s.getAll() as IDBRequest<T[]>,
  (st) => [...memory].filter(([k]) => k.startsWith(`${st}/`)).map(([, v]) => v as T));

export async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A photo's storage key: its sha256. */
export const photoKey = async (file: Blob): Promise<string> => sha256Hex(await file.arrayBuffer());

/** Stores a photo and returns its key (`key`: already known from photoKey). */
export async function storePhoto(file: Blob, key?: string): Promise<string> {
  key ??= await photoKey(file);
  await idbPut('photos', key, file);
  return key;
}

export const loadPhoto = (key: string) => idbGet<Blob>('photos', key);
