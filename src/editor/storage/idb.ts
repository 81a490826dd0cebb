/**
 * Browser storage in one IndexedDB database: `photos` holds input images keyed by their sha256
 * (so a workflow names a photo by content), `state` holds the autosaved workflow.
 */
const DB_NAME = 'disco-nodes';
const STORES = ['photos', 'state'] as const;
type Store = (typeof STORES)[number];

let dbPromise: Promise<IDBDatabase> | undefined;

function db(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      for (const s of STORES) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`cannot open browser storage: ${req.error?.message}`));
  });
  return dbPromise;
}

async function tx<T>(store: Store, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const d = await db();
  return new Promise((resolve, reject) => {
    const req = op(d.transaction(store, mode).objectStore(store));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`browser storage (${store}): ${req.error?.message}`));
  });
}

export const idbGet = <T>(store: Store, key: string) => tx<T | undefined>(store, 'readonly', (s) => s.get(key));
export const idbPut = (store: Store, key: string, value: unknown) => tx(store, 'readwrite', (s) => s.put(value, key)).then(() => undefined);

export async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Stores a photo and returns its key (its sha256). */
export async function storePhoto(file: Blob): Promise<string> {
  const key = await sha256Hex(await file.arrayBuffer());
  await idbPut('photos', key, file);
  return key;
}

export const loadPhoto = (key: string) => idbGet<Blob>('photos', key);
