import { encodeObject } from '@junction/core';
import type { EventDoc } from '@junction/core/store';

import { seededRandom } from './seeded-random.js';

/** A track call as analytics.js sends it inside a batch; no `userId` before sign-in. */
export interface TrackCall {
  type: 'track';
  messageId: string;
  userId?: string;
  anonymousId: string;
  event: string;
  properties: Record<string, unknown>;
  timestamp: string;
  context: Record<string, unknown>;
}

/** The identify analytics.js sends when a visitor signs in: it stitches their browsing. */
export interface IdentifyCall {
  type: 'identify';
  messageId: string;
  userId: string;
  anonymousId: string;
  traits: Record<string, unknown>;
  timestamp: string;
  context: Record<string, unknown>;
}

export type Call = TrackCall | IdentifyCall;

export interface Person {
  userId: string;
  anonymousId: string;
  email: string;
  /** How many anonymous events come before the person signs in (0: known from the start). */
  signInAfter: number;
  /** Only for the raw baseline, which has no profile resolution of its own. */
  profileId: string;
}

export interface Workload {
  people: Person[];
  calls: Call[];
  /** One request body per batch, serialized up front so the client costs little while timed. */
  bodies: Buffer[];
  batches: Call[][];
  sentAt: string;
}

type Random = () => number;

const pick = <T>(random: Random, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)]!;
const hex = (random: Random, length: number): string =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
const money = (random: Random, max: number): number => Math.round(random() * max * 100) / 100;

const CATEGORIES = ['Shoes', 'Outerwear', 'Bags', 'Accessories', 'Knitwear'] as const;
const BRANDS = ['Northwind', 'Tailspin', 'Contoso', 'Fabrikam'] as const;
const PAGES = ['/', '/shop', '/shop/new', '/cart', '/checkout', '/account'] as const;
const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
] as const;

function product(random: Random): Record<string, unknown> {
  const id = `prod_${hex(random, 8)}`;
  return {
    product_id: id,
    sku: `SKU-${hex(random, 6).toUpperCase()}`,
    name: `${pick(random, BRANDS)} ${pick(random, CATEGORIES)} ${Math.floor(random() * 900) + 100}`,
    category: pick(random, CATEGORIES),
    brand: pick(random, BRANDS),
    price: money(random, 250),
    url: `https://shop.example.com/p/${id}`,
  };
}

/** Event names weighted roughly as a retail site sees them. */
const EVENTS: {
  weight: number;
  event: string;
  properties: (r: Random) => Record<string, unknown>;
}[] = [
  {
    weight: 40,
    event: 'Product Viewed',
    properties: (r) => ({
      ...product(r),
      currency: 'EUR',
      image_url: `https://cdn.example.com/i/${hex(r, 12)}.jpg`,
    }),
  },
  {
    weight: 20,
    event: 'Product Added',
    properties: (r) => ({
      ...product(r),
      quantity: 1 + Math.floor(r() * 3),
      cart_id: `cart_${hex(r, 10)}`,
      currency: 'EUR',
    }),
  },
  {
    weight: 15,
    event: 'Products Searched',
    properties: (r) => ({
      query: pick(r, CATEGORIES).toLowerCase(),
      results: Math.floor(r() * 80),
    }),
  },
  {
    weight: 10,
    event: 'Checkout Started',
    properties: (r) => ({ order_id: `ord_${hex(r, 10)}`, value: money(r, 600), currency: 'EUR' }),
  },
  {
    weight: 8,
    event: 'Order Completed',
    properties: (r) => {
      const products = Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({
        ...product(r),
        quantity: 1 + Math.floor(r() * 2),
      }));
      return {
        order_id: `ord_${hex(r, 10)}`,
        total: money(r, 600),
        shipping: 4.95,
        tax: money(r, 90),
        currency: 'EUR',
        coupon: r() < 0.2 ? 'SUMMER10' : null,
        products,
      };
    },
  },
  { weight: 7, event: 'Signed In', properties: (r) => ({ method: pick(r, ['email', 'google']) }) },
];
const TOTAL_WEIGHT = EVENTS.reduce((sum, entry) => sum + entry.weight, 0);

function pickEvent(random: Random): (typeof EVENTS)[number] {
  let roll = random() * TOTAL_WEIGHT;
  for (const entry of EVENTS) {
    roll -= entry.weight;
    if (roll < 0) return entry;
  }
  return EVENTS[0]!;
}

function context(random: Random): Record<string, unknown> {
  const page = pick(random, PAGES);
  return {
    library: { name: 'analytics.js', version: 'npm:next-1.72.0' },
    page: {
      path: page,
      referrer: 'https://www.google.com/',
      search: '',
      title: 'Example Shop',
      url: `https://shop.example.com${page}`,
    },
    userAgent: pick(random, AGENTS),
    locale: 'en-US',
    timezone: 'Europe/Berlin',
  };
}

/**
 * `events` calls by `people` distinct people, in batches of `batchSize`. Most people browse
 * anonymously first and then sign in: their identify (user id, anonymous id and email) links
 * the browsing to them, so the workload exercises identity resolution as a shop's traffic does.
 */
export function buildWorkload(options: {
  events: number;
  people: number;
  batchSize: number;
  seed?: number;
}): Workload {
  const random = seededRandom(options.seed ?? 42);
  const people = Array.from({ length: options.people }, (_, index): Person => {
    const userId = `user_${String(index).padStart(6, '0')}`;
    return {
      userId,
      anonymousId: `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${hex(random, 4)}-${hex(random, 12)}`,
      email: `${userId}@mail.example.com`,
      signInAfter: random() < 0.3 ? 0 : 1 + Math.floor(random() * 5),
      profileId: `prf_${hex(random, 16)}`,
    };
  });
  const seen = new Map<Person, number>();
  const now = Date.now();
  const sentAt = new Date(now).toISOString();
  const calls = Array.from({ length: options.events }, (_, index): Call => {
    const person = pick(random, people);
    const count = seen.get(person) ?? 0;
    seen.set(person, count + 1);
    const common = {
      messageId: `ajs-next-${index.toString(36)}-${hex(random, 24)}`,
      anonymousId: person.anonymousId,
      timestamp: new Date(now - Math.floor(random() * 60_000)).toISOString(),
      context: context(random),
    };
    if (count === person.signInAfter) {
      const traits = { email: person.email, name: `Person ${person.userId.slice(5)}` };
      return { type: 'identify', ...common, userId: person.userId, traits };
    }
    const entry = pickEvent(random);
    const call: TrackCall = {
      type: 'track',
      ...common,
      event: entry.event,
      properties: entry.properties(random),
    };
    if (count > person.signInAfter) call.userId = person.userId;
    return call;
  });
  const batches: Call[][] = [];
  for (let start = 0; start < calls.length; start += options.batchSize) {
    batches.push(calls.slice(start, start + options.batchSize));
  }
  const bodies = batches.map((batch) => Buffer.from(JSON.stringify({ batch, sentAt })));
  return { people, calls, bodies, batches, sentAt };
}

/**
 * The document the server stores for `call` (see server/src/ingest/ingest-messages.ts), built
 * directly: the baseline pays for the database write and nothing else.
 */
export function eventDocument(
  call: Call,
  workspaceId: string,
  profileId: string,
  receivedAt: Date,
  sentAt: string,
): EventDoc {
  const skew = Date.parse(sentAt) - Date.parse(call.timestamp);
  const doc: EventDoc = {
    _id: `${workspaceId}:${call.messageId}`,
    workspaceId,
    messageId: call.messageId,
    type: call.type,
    profileId,
    timestamp: new Date(receivedAt.getTime() - skew),
    receivedAt,
    anonymousId: call.anonymousId,
    sentAt: new Date(sentAt),
    context: encodeObject(call.context),
  };
  if (call.userId) doc.userId = call.userId;
  if (call.type === 'identify') doc.traits = encodeObject(call.traits);
  else {
    doc.event = call.event;
    doc.properties = encodeObject(call.properties);
  }
  return doc;
}

/**
 * The same people sending again after they all signed in: new messageIds, every call carries
 * the user id. Sent to a workspace that already knows them, it measures steady-state traffic.
 */
export function knownPeopleWorkload(workload: Workload): Workload {
  const byAnonymousId = new Map(workload.people.map((p) => [p.anonymousId, p]));
  const calls = workload.calls.map((call): Call => {
    const messageId = `${call.messageId}-k`;
    const userId = byAnonymousId.get(call.anonymousId)!.userId;
    return { ...call, messageId, userId };
  });
  const size = workload.batches[0]?.length ?? 1;
  const batches: Call[][] = [];
  for (let start = 0; start < calls.length; start += size) {
    batches.push(calls.slice(start, start + size));
  }
  const { sentAt } = workload;
  const bodies = batches.map((batch) => Buffer.from(JSON.stringify({ batch, sentAt })));
  return { people: workload.people, calls, bodies, batches, sentAt };
}
