// The floor: a bare undici pass-through with no auth, policy or database. What the
// gateway adds is measured against this, on the same machine, in the same run.
import { createServer, type Server } from 'node:http';
import { Agent, request } from 'undici';

export async function startFloorProxy(upstream: string): Promise<{ url: string; close(): Promise<void> }> {
  // No cap on connections: the floor is what a bare proxy does, not one with a queue.
  const dispatcher = new Agent({ connections: null, keepAliveTimeout: 30_000 });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      request(`${upstream}${req.url}`, {
        method: req.method as 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer floor' },
        body: Buffer.concat(chunks),
        dispatcher,
      }).then(
        async (up) => {
          res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json') });
          for await (const chunk of up.body) res.write(chunk);
          res.end();
        },
        () => {
          res.writeHead(502).end();
        },
      );
    });
  });
  // The same accept queue as the gateway's, so that bursts of connections compare alike.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await dispatcher.close();
    },
  };
}
