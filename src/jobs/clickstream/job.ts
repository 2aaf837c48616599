// The clickstream job (spec section 3), written against the engine's public API only:
// sessions per user (1 s gap) -> sessions with a buy; sessions and departments per 10 s window.
// The input is keyed by userid, so sessions are local to an input partition; the 10 s windows span
// partitions (`scope: 'global'`): run partitioned, each partition sends their partials to the combiner.
import {
  type DeadLetter,
  Job,
  type LateRecord,
  type Sink,
  type SourceRecord,
  sessionWindows,
  tumblingWindows,
} from '../../processor/index.ts';
import type { Click } from './decode.ts';
import { departmentsCountRow, type ResultRow, sessionCountsRowOf, sessionDetailsRow, type UserSessionDetails } from './rows.ts';
import { orderCheckoutEventCount, type SessionAcc, sessionAggregate } from './session-aggregate.ts';

export const SESSION_GAP_MS = 1000;
export const WINDOW_MS = 10_000;

export interface ClickstreamJobOptions {
  /** Decodes a record (see decode.ts); throwing dead-letters it. */
  decode: (record: SourceRecord) => Click | Promise<Click>;
  /** Where results go: Kafka topics, the analytics store, OpenSearch. Each gets every row. */
  results: Sink<ResultRow>[];
  deadLetters: Sink<DeadLetter>;
  late: Sink<LateRecord<Click, number>>;
  /** Default 20 000. */
  outOfOrdernessMs?: number;
  /** Default 60 000. */
  idleTimeoutMs?: number;
  /** 'record' (default): the Kafka record timestamp; 'field': the event's eventtimestamp. */
  eventTime?: 'record' | 'field';
}

interface SessionCounts {
  sessions: number;
  withBuy: number;
}

export function clickstreamJob(opts: ClickstreamJobOptions): Job {
  const job = new Job('clickstream');
  const clicks = job.source<Click>('clickstream', {
    deserialize: opts.decode,
    ...(opts.eventTime === 'field' ? { timestamp: (c: Click) => c.event.eventtimestamp } : {}),
    outOfOrdernessMs: opts.outOfOrdernessMs ?? 20_000,
    idleTimeoutMs: opts.idleTimeoutMs ?? 60_000,
  });
  clicks.deadLetters().sinkTo(opts.deadLetters, 'dead-letters');

  // Stage 1: a session per user, 1 s gap; result stamped windowEndTime - 1 by the engine.
  const sessions = clicks
    .keyBy((c) => c.event.userid)
    .window(sessionWindows({ gapMs: SESSION_GAP_MS }))
    .aggregate(
      {
        createAccumulator: sessionAggregate.createAccumulator,
        add: (a, c, t) => sessionAggregate.add(a, c.event, t),
        merge: sessionAggregate.merge,
      },
      (userId, w, acc: SessionAcc): UserSessionDetails => ({
        userId,
        eventCount: acc.productTimes.length,
        orderCheckoutEventCount: orderCheckoutEventCount(acc),
        deptList: [...acc.departments].sort(),
        eventKey: 1,
        windowBeginTime: w.start,
        windowEndTime: w.end,
      }),
      'user-sessions',
    );
  sessions.lateRecords().sinkTo(opts.late, 'late-records');

  // Stage 2: sessions with a buy, unchanged.
  const withBuy = sessions
    .filter((s) => s.orderCheckoutEventCount !== 0, 'sessions-with-buy')
    .map(sessionDetailsRow, 'session-details-rows');

  // Stage 3: sessions per 10 s window (the window containing windowEndTime - 1).
  const perWindow = sessions
    .keyBy(() => 'all')
    .window(tumblingWindows({ sizeMs: WINDOW_MS }))
    .aggregate<SessionCounts, ResultRow>(
      {
        createAccumulator: () => ({ sessions: 0, withBuy: 0 }),
        add: (acc, s) => {
          acc.sessions++;
          if (s.orderCheckoutEventCount !== 0) acc.withBuy++;
          return acc;
        },
        merge: (a, b) => ({ sessions: a.sessions + b.sessions, withBuy: a.withBuy + b.withBuy }),
      },
      (_all, w, acc) => sessionCountsRowOf(acc.sessions, acc.withBuy, w.start, w.end),
      'sessions-per-window',
      { scope: 'global' },
    );

  // Stage 4: each department of a session counts once in the session's 10 s window.
  const departments = sessions
    .flatMap((s) => s.deptList, 'session-departments')
    .keyBy((d) => d)
    .window(tumblingWindows({ sizeMs: WINDOW_MS }))
    .aggregate<number, ResultRow>(
      { createAccumulator: () => 0, add: (n) => n + 1, merge: (a, b) => a + b },
      (departmentName, w, n) => departmentsCountRow({ departmentName, departmentCount: n, windowBeginTime: w.start, windowEndTime: w.end }),
      'departments-per-window',
      { scope: 'global' },
    );

  for (const sink of opts.results) {
    withBuy.sinkTo(sink, `${sink.name}:user_session_details`);
    perWindow.sinkTo(sink, `${sink.name}:user_session_counts`);
    departments.sinkTo(sink, `${sink.name}:departments_count`);
  }
  return job;
}
