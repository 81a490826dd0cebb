/** Superpixel operations. Filled in with the superpixel stages; see ../backend.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SuperpixelOps {}
