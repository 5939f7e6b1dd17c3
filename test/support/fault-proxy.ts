import { AddressInfo, createServer, Server, Socket, connect } from 'net';

/**
 * A TCP proxy in front of a real server (Postgres, Redis), to inject network faults for real:
 * - `down()`: every open connection is cut and new ones are refused (the port stops listening),
 *   as when the server's machine is unreachable or restarting;
 * - `hang()`: connections stay open but nothing goes through either way (bytes are held, then
 *   delivered on `up()`), as when the server is frozen;
 * - `up()`: traffic flows again (new connections accepted, held bytes delivered).
 * The port stays the same throughout, so clients reconnect to the same address.
 */
export class FaultProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  /** Bytes that arrived while hung, in order, with the socket they are for. */
  private held: Array<[Socket, Buffer]> = [];
  private mode: 'up' | 'hung' | 'down' = 'up';

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host?: string; port: number }): Promise<FaultProxy> {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as AddressInfo;
        probe.close(() => resolve(p));
      });
      probe.on('error', reject);
    });
    const proxy = new FaultProxy(port, { host: target.host ?? '127.0.0.1', port: target.port });
    await proxy.listen();
    return proxy;
  }

  /** `url` with its host and port replaced by this proxy's. */
  url(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  async down(): Promise<void> {
    this.mode = 'down';
    const closing = this.server ? new Promise<void>((r) => this.server!.close(() => r())) : Promise.resolve();
    this.server = null;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
    this.held = [];
    await closing;
  }

  hang(): void {
    this.mode = 'hung';
  }

  async up(): Promise<void> {
    const was = this.mode;
    this.mode = 'up';
    if (was === 'down') await this.listen();
    const held = this.held;
    this.held = [];
    for (const [to, chunk] of held) if (!to.destroyed) to.write(chunk);
  }

  async close(): Promise<void> {
    await this.down();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  private accept(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (this.mode === 'hung') this.held.push([to, chunk]);
        else to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
  }
}
