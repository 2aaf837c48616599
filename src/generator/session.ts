// The session state machine of the original mock producer (spec section 2): pure, driven only
// by the Random it is given, so a seed reproduces every choice.
import type { Random } from './random.ts';

export const HOME_PAGE = 'home_page';
export const END = '';
export const NA = 'N/A';

/** Next event types, drawn uniformly; `""` ends the session. */
export const TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  home_page: ['product_catalog'],
  product_catalog: ['home_page', 'product_detail'],
  product_detail: ['product_catalog', 'add_to_cart'],
  add_to_cart: ['product_catalog', 'remove_from_cart', 'order'],
  order: ['order_checkout', 'remove_from_cart', 'product_catalog'],
  order_checkout: [END],
  remove_from_cart: [END, 'product_detail', 'product_catalog'],
};

export const DEPARTMENTS = [
  'cell phones',
  'laptops',
  'ear phones',
  'soundbars',
  'cd players',
  'AirPods',
  'video games',
  'cameras',
] as const;

export const DEVICE_TYPES = ['mobile', 'computer', 'tablet'] as const;

/** Event types whose product is the previous event's. */
const KEEPS_PRODUCT = new Set(['add_to_cart', 'remove_from_cart', 'order', 'order_checkout']);

export interface SessionEvent {
  eventType: string;
  productType: string;
}

export interface Session {
  userid: number;
  ip: string;
  devicetype: string;
  /** Every event of the session in order, the end event (`""`, `""`) last. */
  events: SessionEvent[];
}

/** The product type of `eventType` given the previous event's product type. */
function productFor(eventType: string, previous: string, rng: Random): string {
  if (eventType === END) return '';
  if (eventType === 'product_detail') return DEPARTMENTS[rng.int(DEPARTMENTS.length)]!;
  if (KEEPS_PRODUCT.has(eventType)) return previous;
  return NA;
}

/** Builds one session for `userid`: ip and device fixed for it, events per the transition table. */
export function buildSession(userid: number, rng: Random): Session {
  const ip = `66.249.1.${rng.int(255)}`;
  const devicetype = DEVICE_TYPES[rng.int(DEVICE_TYPES.length)]!;
  const events: SessionEvent[] = [{ eventType: HOME_PAGE, productType: NA }];
  let current = events[0]!;
  while (current.eventType !== END) {
    const choices = TRANSITIONS[current.eventType]!;
    const eventType = choices[rng.int(choices.length)]!;
    current = { eventType, productType: productFor(eventType, current.productType, rng) };
    events.push(current);
  }
  return { userid, ip, devicetype, events };
}

export const FIRST_USER_BLOCK = 1000;
export const USER_BLOCK_SIZE = 1000;
const INT32_MAX = 2 ** 31 - 1;

/** The shared user-id counter: each session takes the next block of 1000 ids. */
export class UserBlocks {
  #next: number;

  constructor(start = FIRST_USER_BLOCK) {
    this.#next = start;
  }

  /** Start of the next block; wraps to 1000 rather than overflowing int32 (a Decision of the spec). */
  nextBlock(): number {
    if (this.#next + USER_BLOCK_SIZE - 1 > INT32_MAX) this.#next = FIRST_USER_BLOCK;
    const block = this.#next;
    this.#next += USER_BLOCK_SIZE;
    return block;
  }

  /** A user id picked uniformly in the next block. */
  nextUser(rng: Random): number {
    return this.nextBlock() + rng.int(USER_BLOCK_SIZE);
  }
}
