// Server-sent events for the page (/api/events): one stream per tab, events pushed to all; a
// comment every 15 s keeps proxies from closing an idle stream.
import type { ServerResponse } from 'node:http';
import { toJson } from './http.ts';

const HEARTBEAT_MS = 15_000;

export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #onChange: (clients: number) => void;

  /** `onChange` hears the number of connected clients after each connect and disconnect. */
  constructor(onChange: (clients: number) => void = () => {}) {
    this.#onChange = onChange;
    this.#heartbeat = setInterval(() => {
      for (const res of this.#clients) res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  get size(): number {
    return this.#clients.size;
  }

  accept(res: ServerResponse, hello: { event: string; data: unknown }): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx and similar proxies buffer responses unless told otherwise.
      'x-accel-buffering': 'no',
    });
    // The browser reconnects after 3 s if the stream breaks (dashboard restarted).
    res.write(`retry: 3000\n${frame(hello.event, hello.data)}`);
    this.#clients.add(res);
    const drop = () => {
      if (this.#clients.delete(res)) this.#onChange(this.#clients.size);
    };
    // The response closes when the browser goes away (tab closed, reload) or the server ends it.
    res.on('close', drop);
    res.on('error', drop);
    this.#onChange(this.#clients.size);
  }

  send(event: string, data: unknown): void {
    if (this.#clients.size === 0) return;
    const text = frame(event, data);
    for (const res of this.#clients) res.write(text);
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${toJson(data)}\n\n`;
}
