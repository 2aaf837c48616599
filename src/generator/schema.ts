// Brook's Avro schema of the clickstream event (spec section 1) and its TypeScript shape.
export interface ClickEvent {
  ip: string;
  eventtimestamp: number;
  devicetype: string;
  event_type: string | null;
  product_type: string | null;
  userid: number;
  globalseq: number;
  prevglobalseq: number;
}

export const CLICK_EVENT_SCHEMA = {
  type: 'record',
  name: 'ClickEvent',
  namespace: 'samples.clickstream.avro',
  fields: [
    { name: 'ip', type: 'string' },
    { name: 'eventtimestamp', type: 'long' },
    { name: 'devicetype', type: 'string' },
    { name: 'event_type', type: ['string', 'null'] },
    { name: 'product_type', type: ['string', 'null'] },
    { name: 'userid', type: 'int' },
    { name: 'globalseq', type: 'long' },
    { name: 'prevglobalseq', type: 'long', default: 0 },
  ],
} as const;

/** The schema text registered with the registry. */
export const CLICK_EVENT_AVSC = JSON.stringify(CLICK_EVENT_SCHEMA);
