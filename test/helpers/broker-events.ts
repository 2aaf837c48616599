// Collects the broker's diagnostics events (TLS failures, refusals, logins) for a test to check.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { brokerLogLine } from '../../src/broker/log-lines.ts';

export interface BrokerEvents {
  events: Record<string, unknown>[];
  /** The lines `brook broker` would print. */
  lines(): string[];
  stop(): void;
}

export function collectBrokerEvents(): BrokerEvents {
  const events: Record<string, unknown>[] = [];
  const fn = (m: unknown) => events.push(m as Record<string, unknown>);
  subscribe('brook:broker', fn);
  return {
    events,
    lines: () => events.map(brokerLogLine).filter((l): l is string => l !== null),
    stop: () => unsubscribe('brook:broker', fn),
  };
}
