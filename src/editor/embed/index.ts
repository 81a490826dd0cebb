/** The embeddable editor: importing this module defines `<disco-editor>`. */
export { DiscoEditor, DiscoRunError } from './disco-editor.ts';
export { DiscoErrorEvent, DiscoProgressEvent, DiscoReadyEvent, DiscoResultEvent } from './events.ts';
