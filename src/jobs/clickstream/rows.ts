// The job's three result rows (spec section 3) and their exact Kafka JSON: fields in the spec's
// order, epoch-ms times, the percentage written as a double with a fraction (37.0), and the
// deterministic id `<windowBeginTime>:<key>` that lets every sink upsert instead of duplicate.

export const RESULT_TABLES = ['user_session_details', 'user_session_counts', 'departments_count'] as const;
export type ResultTable = (typeof RESULT_TABLES)[number];

/** Kafka topic of each result table: the original pipeline's names. */
export const RESULT_TOPICS: Record<ResultTable, string> = {
  user_session_details: 'User_Sessions_Aggregates_With_Order_Checkout',
  user_session_counts: 'ClickEvents_UserId_Agg_Result',
  departments_count: 'Departments_Agg',
};

export interface UserSessionDetails {
  userId: number;
  eventCount: number;
  orderCheckoutEventCount: number;
  /** Distinct departments, sorted ascending by code unit (JavaScript's default sort). */
  deptList: string[];
  eventKey: 1;
  windowBeginTime: number;
  windowEndTime: number;
}

export interface UserSessionCounts {
  userSessionCount: number;
  userSessionCountWithOrderCheckout: number;
  /** floor(withBuy * 100 / sessions): always a whole number, written as a double. */
  percentSessionswithBuy: number;
  windowBeginTime: number;
  windowEndTime: number;
}

export interface DepartmentsCount {
  departmentName: string;
  departmentCount: number;
  windowBeginTime: number;
  windowEndTime: number;
}

interface RowOf {
  user_session_details: UserSessionDetails;
  user_session_counts: UserSessionCounts;
  departments_count: DepartmentsCount;
}

/** One result row, as every sink receives it. */
export type ResultRow = {
  [T in ResultTable]: {
    table: T;
    /** `<windowBeginTime>:<key>`: the upsert id. */
    id: string;
    /** Kafka record key. */
    key: string;
    doc: RowOf[T];
    /** The Kafka value: JSON with the spec's field order and doubles as doubles. */
    json: string;
  };
}[ResultTable];

export function sessionDetailsRow(doc: UserSessionDetails): ResultRow {
  const json =
    `{"userId":${doc.userId},"eventCount":${doc.eventCount},"orderCheckoutEventCount":${doc.orderCheckoutEventCount},` +
    `"deptList":${JSON.stringify(doc.deptList)},"eventKey":1,"windowBeginTime":${doc.windowBeginTime},"windowEndTime":${doc.windowEndTime}}`;
  return { table: 'user_session_details', id: `${doc.windowBeginTime}:${doc.userId}`, key: String(doc.userId), doc, json };
}

export function sessionCountsRow(doc: UserSessionCounts): ResultRow {
  const json =
    `{"userSessionCount":${doc.userSessionCount},"userSessionCountWithOrderCheckout":${doc.userSessionCountWithOrderCheckout},` +
    `"percentSessionswithBuy":${double(doc.percentSessionswithBuy)},"windowBeginTime":${doc.windowBeginTime},"windowEndTime":${doc.windowEndTime}}`;
  return { table: 'user_session_counts', id: `${doc.windowBeginTime}:all`, key: String(doc.windowBeginTime), doc, json };
}

/** Stage 3's row from its two counts: the percentage is derived, truncated to an integer (15 of 40 -> 37). */
export function sessionCountsRowOf(sessions: number, withBuy: number, windowBeginTime: number, windowEndTime: number): ResultRow {
  return sessionCountsRow({
    userSessionCount: sessions,
    userSessionCountWithOrderCheckout: withBuy,
    percentSessionswithBuy: Math.floor((withBuy * 100) / sessions),
    windowBeginTime,
    windowEndTime,
  });
}

export function departmentsCountRow(doc: DepartmentsCount): ResultRow {
  const json =
    `{"departmentName":${JSON.stringify(doc.departmentName)},"departmentCount":${doc.departmentCount},` +
    `"windowBeginTime":${doc.windowBeginTime},"windowEndTime":${doc.windowEndTime}}`;
  return { table: 'departments_count', id: `${doc.windowBeginTime}:${doc.departmentName}`, key: doc.departmentName, doc, json };
}

/** A double as Java's Jackson writes it: 37 -> 37.0, 37.5 -> 37.5. */
function double(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}
