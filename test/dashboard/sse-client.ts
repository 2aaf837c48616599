// A minimal server-sent-events reader over fetch for the tests: collects named events as they come.

export interface SseEvent {
  event: string;
  data: any;
}

export interface SseStream {
  events: SseEvent[];
  /** Resolves with the first event named `name` after index `from` (default: any seen so far). */
  next(name: string, from?: number, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openEvents(url: string): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
  if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(`not an event stream: ${res.status} ${res.headers.get('content-type')}`);
  }
  const events: SseEvent[] = [];
  let waiters: Array<() => void> = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length === 0) continue;
          events.push({ event, data: JSON.parse(data.join('\n')) });
          // Waiters that still find nothing register again: swap the list first.
          const woken = waiters;
          waiters = [];
          for (const w of woken) w();
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    events,
    next(name, from = 0, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no '${name}' event within ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          const found = events.slice(from).find((e) => e.event === name);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => abort.abort(),
  };
}
