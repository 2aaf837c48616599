// A result topic's record back into the ResultRow the processor wrote, through the same builders
// (rows.ts), so the standalone dashboard's store gets the same ids and upserts the same way.
import {
  departmentsCountRow,
  RESULT_TOPICS,
  type ResultRow,
  type ResultTable,
  sessionCountsRow,
  sessionDetailsRow,
} from '../jobs/clickstream/rows.ts';

const TABLE_OF_TOPIC = new Map(Object.entries(RESULT_TOPICS).map(([table, topic]) => [topic, table as ResultTable]));

export class RowParseError extends Error {}

function int(doc: Record<string, unknown>, field: string): number {
  const v = doc[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RowParseError(`field ${field} is not a number`);
  return v;
}

function str(doc: Record<string, unknown>, field: string): string {
  const v = doc[field];
  if (typeof v !== 'string') throw new RowParseError(`field ${field} is not a string`);
  return v;
}

export function tableOfTopic(topic: string): ResultTable | undefined {
  return TABLE_OF_TOPIC.get(topic);
}

/** Parses one result record's JSON value; throws RowParseError when it is not a result row. */
export function parseResultRow(topic: string, value: Buffer | string | null): ResultRow {
  const table = tableOfTopic(topic);
  if (table === undefined) throw new RowParseError(`${topic} is not a result topic`);
  if (value === null) throw new RowParseError('the record has no value');
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    throw new RowParseError('the value is not JSON');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new RowParseError('the value is not a JSON object');
  const window = { windowBeginTime: int(doc, 'windowBeginTime'), windowEndTime: int(doc, 'windowEndTime') };
  switch (table) {
    case 'user_session_details': {
      const deptList = doc.deptList;
      if (!Array.isArray(deptList) || !deptList.every((d) => typeof d === 'string'))
        throw new RowParseError('field deptList is not a list of strings');
      return sessionDetailsRow({
        userId: int(doc, 'userId'),
        eventCount: int(doc, 'eventCount'),
        orderCheckoutEventCount: int(doc, 'orderCheckoutEventCount'),
        deptList,
        eventKey: 1,
        ...window,
      });
    }
    case 'user_session_counts':
      return sessionCountsRow({
        userSessionCount: int(doc, 'userSessionCount'),
        userSessionCountWithOrderCheckout: int(doc, 'userSessionCountWithOrderCheckout'),
        percentSessionswithBuy: int(doc, 'percentSessionswithBuy'),
        ...window,
      });
    case 'departments_count':
      return departmentsCountRow({ departmentName: str(doc, 'departmentName'), departmentCount: int(doc, 'departmentCount'), ...window });
  }
}
