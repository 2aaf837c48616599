// Brook's ClickEvent schemas for the serde tests, written from the clickstream spec (section 1): the
// producer's namespace, the original reader's namespace, and a reader that adds a defaulted field.

import { CLICK_EVENT_SCHEMA } from '../../../src/generator/schema.ts';

const fields = CLICK_EVENT_SCHEMA.fields;

export const PRODUCER_NAMESPACE = 'samples.clickstream.avro';
export const READER_NAMESPACE = 'tutorial.buildon.aws.streaming.avro';

/** What the generator writes: namespace samples.clickstream.avro. */
export const PRODUCER_SCHEMA = JSON.stringify({ type: 'record', name: 'ClickEvent', namespace: PRODUCER_NAMESPACE, fields });

/** What the original Flink job read with: same fields, namespace tutorial.buildon.aws.streaming.avro. */
export const READER_SCHEMA = JSON.stringify({ type: 'record', name: 'ClickEvent', namespace: READER_NAMESPACE, fields });

/** A later reader: the other namespace and one more field with a default. */
export const READER_WITH_SESSION_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'ClickEvent',
  namespace: READER_NAMESPACE,
  fields: [...fields, { name: 'sessionid', type: 'string', default: 'none' }],
});

import type { ClickEvent } from '../../../src/generator/schema.ts';

export type { ClickEvent };

const EVENTS = ['home_page', 'product_catalog', 'product_detail', 'add_to_cart', 'order', 'order_checkout', ''];
const DEVICES = ['mobile', 'computer', 'tablet'];
const PRODUCTS = ['N/A', 'cell phones', 'laptops', 'ear phones', 'soundbars', 'cd players', 'AirPods', 'video games', 'cameras', ''];

export function clickEvent(i: number): ClickEvent {
  return {
    ip: `66.249.1.${i % 255}`,
    eventtimestamp: 1_700_000_000_000 + i * 137,
    devicetype: DEVICES[i % DEVICES.length]!,
    event_type: i % 11 === 10 ? null : EVENTS[i % EVENTS.length]!,
    product_type: PRODUCTS[i % PRODUCTS.length]!,
    userid: 1000 + (i % 997),
    globalseq: 5_000_000_000 + i,
    prevglobalseq: i === 0 ? 0 : 5_000_000_000 + i - 1,
  };
}
