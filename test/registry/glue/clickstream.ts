// Brook's copy of the clickstream event schema (ClickEvent, as the producer writes it), and the
// evolutions the Glue tests register: one compatible under FULL, one not.

const fields = [
  { name: 'ip', type: 'string' },
  { name: 'eventtimestamp', type: 'long' },
  { name: 'devicetype', type: 'string' },
  { name: 'event_type', type: ['string', 'null'] },
  { name: 'product_type', type: ['string', 'null'] },
  { name: 'userid', type: 'int' },
  { name: 'globalseq', type: 'long' },
  { name: 'prevglobalseq', type: 'long', default: 0 },
];

const clickEvent = (extra: object[]) =>
  JSON.stringify({ type: 'record', name: 'ClickEvent', namespace: 'samples.clickstream.avro', fields: [...fields, ...extra] }, null, 2);

export const CLICK_EVENT_V1 = clickEvent([]);
/** Adds a field with a default: readable both ways, so FULL accepts it. */
export const CLICK_EVENT_V2 = clickEvent([{ name: 'referrer', type: ['null', 'string'], default: null }]);
/** Adds a field without a default: a new reader cannot read old data, so FULL (and BACKWARD) refuse it. */
export const CLICK_EVENT_INCOMPATIBLE = clickEvent([{ name: 'sessionid', type: 'string' }]);
