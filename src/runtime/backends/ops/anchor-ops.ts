/** Anchor operations. Filled in with the anchor stages; see ../backend.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AnchorOps {}
