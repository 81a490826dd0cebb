/// <reference types="vite/client" />

/** True on the Vite dev server (tests), false in a build: see vite.config.ts. */
declare const __DISCO_DEV_SERVER__: boolean;
