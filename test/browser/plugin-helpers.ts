/** Checks on result PNGs shared by the plugin and embed browser tests. */
import sharp from 'sharp';
import { readPngTextChunks } from '../../src/runtime/workflow/png-chunks.ts';

export interface PngFacts {
  width: number;
  height: number;
  /** Mean over pixels of max(|r-g|, |g-b|, |r-b|): 0 for a gray picture. */
  meanChroma: number;
  texts: Record<string, string>;
}

export async function pngFacts(png: Uint8Array): Promise<PngFacts> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (let i = 0; i < data.length; i += 3) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    sum += Math.max(Math.abs(r - g), Math.abs(g - b), Math.abs(r - b));
  }
  return { width: info.width, height: info.height, meanChroma: sum / (info.width * info.height), texts: readPngTextChunks(png) };
}

export function dataUrlBytes(url: string): Uint8Array {
  const m = /^data:image\/png;base64,(.*)$/.exec(url);
  if (!m) throw new Error(`not a PNG data URL: ${url.slice(0, 40)}…`);
  return new Uint8Array(Buffer.from(m[1]!, 'base64'));
}

/**
 * A second origin for the same dev server: a plain HTTP (and WebSocket) proxy on another port of
 * 127.0.0.1. Another port is another origin but the same site, so a frame from it is not a
 * third-party frame to the browser's storage rules (localhost vs 127.0.0.1 would be).
 */
export async function proxyOrigin(targetPort: number): Promise<{ url: string; close(): Promise<void> }> {
  const http = await import('node:http');
  const net = await import('node:net');
  const server = http.createServer((req, res) => {
    const up = http.request({ host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', (e) => res.writeHead(502).end(e.message));
    req.pipe(up);
  });
  const tunnels = new Set<{ destroy(): void }>();
  server.on('upgrade', (req, socket, head) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    const up = net.connect(targetPort, '127.0.0.1', () => {
      const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => {
      for (const t of tunnels) t.destroy(); // upgraded (WebSocket) sockets are not the server's connections any more
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
