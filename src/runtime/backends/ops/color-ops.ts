/** Color operations. Filled in with the color stages; see ../backend.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ColorOps {}
