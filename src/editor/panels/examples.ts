/**
 * The example workflows in workflows/ (bundled by Vite) and the example photo they name. Opening one
 * keeps the photo already loaded in the editor; without one, the bundled example photo is used.
 */
const files = import.meta.glob('/workflows/*.json', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;
const photos = import.meta.glob('/examples/*.{png,jpg,jpeg}', { eager: true, query: '?url', import: 'default' }) as Record<string, string>;

export interface Example {
  readonly name: string;
  readonly text: string;
}

export const EXAMPLES: readonly Example[] = Object.entries(files)
  .map(([path, text]) => ({ name: path.split('/').pop()!.replace(/\.json$/, ''), text }))
  .sort((a, b) => a.name.localeCompare(b.name));

/** The bundled URL of an example photo a workflow names by path (e.g. '../examples/chelsea-gray.png'). */
export function examplePhotoUrl(ref: string): string | undefined {
  const name = ref.split('/').pop();
  return name ? photos[`/examples/${name}`] : undefined;
}
