// Result rows for the OpenSearch tests, made with the job's own row constructors.
import { departmentsCountRow, type ResultRow, sessionCountsRow, sessionDetailsRow } from '../../../src/jobs/clickstream/rows.ts';
import type { StreamRecord } from '../../../src/processor/types.ts';

const DEPTS = ['books', 'cell phones', 'computers', 'electronics', 'fashion', 'games', 'garden'];

/** `n` rows cycling through the three tables, each with its own id; window w starts at base + w*10 s. */
export function rows(n: number, base = 1_700_000_000_000): ResultRow[] {
  const out: ResultRow[] = [];
  for (let i = 0; i < n; i++) {
    const w = Math.floor(i / 3);
    const begin = base + w * 10_000;
    const end = begin + 10_000;
    if (i % 3 === 0)
      out.push(
        departmentsCountRow({
          departmentName: DEPTS[w % DEPTS.length]!,
          departmentCount: 3 + (i % 7),
          windowBeginTime: begin,
          windowEndTime: end,
        }),
      );
    else if (i % 3 === 1)
      out.push(
        sessionCountsRow({
          userSessionCount: 10 + (i % 5),
          userSessionCountWithOrderCheckout: 3,
          percentSessionswithBuy: 37,
          windowBeginTime: begin,
          windowEndTime: end,
        }),
      );
    else
      out.push(
        sessionDetailsRow({
          userId: 1000 + i,
          eventCount: 12,
          orderCheckoutEventCount: 2,
          deptList: ['books', 'games'],
          eventKey: 1,
          windowBeginTime: begin,
          windowEndTime: end,
        }),
      );
  }
  return out;
}

export const rec = (row: ResultRow): StreamRecord<ResultRow> => ({ value: row, timestamp: row.doc.windowEndTime });
