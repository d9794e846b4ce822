// A local TCP proxy between the appliance and the broker that can cut the network: "drop"
// black-holes traffic (connections stay open, bytes vanish, like a dead WAN link) and
// refuses nothing, so only MQTT keepalive can notice; "pass" forwards again.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  url: string;
  mode: 'pass' | 'drop';
  /** Start black-holing; existing connections go silent in both directions. */
  drop(): void;
  /** Forward again (new connections only; black-holed ones stay dead, as after a real cut). */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket | null; dead: boolean }>();
  let mode: 'pass' | 'drop' = 'pass';
  const server: Server = createServer((client) => {
    const pair = { client, upstream: null as Socket | null, dead: mode === 'drop' };
    pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (pair.dead) {
      client.on('data', () => {}); // swallow
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => {
      if (!pair.dead) client.destroy();
    });
    client.on('data', (d) => {
      if (!pair.dead) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!pair.dead) client.write(d);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    drop() {
      mode = 'drop';
      for (const p of pairs) p.dead = true;
    },
    restore() {
      mode = 'pass';
    },
    async close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
