// Brook's copy of the clickstream event schema (ClickEvent, as the producer writes it), and the
// evolutions the Glue tests register: one compatible under FULL, one not.

import { CLICK_EVENT_SCHEMA } from '../../../src/generator/schema.ts';

const fields = CLICK_EVENT_SCHEMA.fields;

const clickEvent = (extra: object[]) =>
  JSON.stringify({ type: 'record', name: 'ClickEvent', namespace: 'samples.clickstream.avro', fields: [...fields, ...extra] }, null, 2);

export const CLICK_EVENT_V1 = clickEvent([]);
/** Adds a field with a default: readable both ways, so FULL accepts it. */
export const CLICK_EVENT_V2 = clickEvent([{ name: 'referrer', type: ['null', 'string'], default: null }]);
/** Adds a field without a default: a new reader cannot read old data, so FULL (and BACKWARD) refuse it. */
export const CLICK_EVENT_INCOMPATIBLE = clickEvent([{ name: 'sessionid', type: 'string' }]);
