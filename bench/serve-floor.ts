import { startFloorProxy } from './floor-proxy.ts';

const floor = await startFloorProxy(process.env.UPSTREAM_URL ?? 'http://127.0.0.1:8788');
process.stdout.write(`${floor.url}\n`);
