import { eventually, startStack, type TestStack } from '../../../test/harness.js';
import { csvRow, MEMBERS_CSV_HEADER } from './segment-members.js';
import { segmentOf, tagOf, testWorkspace, type TestWorkspace } from './test-workspace.js';

const PEOPLE = 60;
const PRO = 20;

function person(index: number, plan = index % 3 === 0 ? 'pro' : 'free') {
  return {
    userId: `member-${String(index).padStart(2, '0')}`,
    traits: { plan, email: `member${index}@example.com` },
  };
}

interface Member {
  id: string;
  since: string;
  traits: Record<string, unknown>;
}

describe('segment members', () => {
  let stack: TestStack;
  let ws: TestWorkspace;

  beforeAll(async () => {
    stack = await startStack();
    ws = await testWorkspace(stack);
    const tag = tagOf('tier', { kind: 'static', trait: 'plan', valueType: 'string' });
    expect((await ws.post('/v1/tags', tag)).status).toBe(201);
    const segment = segmentOf('pro', { type: 'tag', tag: 'tier', op: 'eq', value: 'pro' });
    expect((await ws.post('/v1/segments', segment)).status).toBe(201);
    // Ingestion evaluates each identified person at once, so memberships need no backfill.
    await ws.identify(Array.from({ length: PEOPLE }, (_, index) => person(index)));
    await eventually(async () => (await ws.get('/v1/segments/pro')).body.size === PRO);
  });
  afterAll(() => stack.close());

  it('pages members in profile id order without skipping or repeating anybody', async () => {
    const seen: Member[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const response = await ws.get('/v1/segments/pro/members', {
        limit: 7,
        ...(after ? { after } : {}),
      });
      expect(response.status).toBe(200);
      seen.push(...(response.body.members as Member[]));
      after = response.body.next ?? undefined;
      if (!after) break;
    }
    const ids = seen.map((member) => member.id);
    expect(ids).toHaveLength(PRO);
    expect(new Set(ids).size).toBe(PRO);
    expect([...ids].sort()).toEqual(ids);
    for (const member of seen) {
      expect(member.traits.plan).toBe('pro');
      expect(Date.parse(member.since)).toBeGreaterThan(Date.now() - 600_000);
    }
  });

  it('exports every member as a CSV attachment, one row each', async () => {
    const response = await ws.get('/v1/segments/pro/members.csv');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe('attachment; filename="pro-members.csv"');
    const [header, ...rows] = response.text.trimEnd().split('\n');
    expect(header).toBe(MEMBERS_CSV_HEADER);
    expect(rows).toHaveLength(PRO);
    for (const row of rows) {
      const [profileId, enteredAt, userId, email] = row.split(',');
      expect(profileId).toMatch(/\S/);
      expect(Number.isNaN(Date.parse(enteredAt!))).toBe(false);
      const index = Number(userId!.slice('member-'.length));
      expect(index % 3).toBe(0);
      expect(email).toBe(`member${index}@example.com`);
    }
  });

  it("shows a person's segments now and the history of entering and leaving them", async () => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    await ws.identify([person(100, 'pro')]);
    await pause();
    await ws.identify([person(100, 'free')]);
    await pause();
    await ws.identify([person(100, 'pro')]);
    const found = await ws.get('/v1/profiles/lookup', { type: 'user_id', value: 'member-100' });
    const id = found.body.profile.id as string;

    const response = await ws.get(`/v1/profiles/${id}/segments`);
    expect(response.status).toBe(200);
    expect(response.body.segments).toEqual([
      { key: 'pro', name: 'Segment pro', since: expect.any(String) },
    ]);
    const history = response.body.history as { change: string; segment: string }[];
    expect(history.map((entry) => entry.change)).toEqual(['entered', 'exited', 'entered']);
    expect(history[0]).toMatchObject({
      segment: 'pro',
      name: 'Segment pro',
      version: 1,
      profileId: id,
    });
    const page = await ws.get(`/v1/profiles/${id}/segments`, { limit: 2 });
    const older = await ws.get(`/v1/profiles/${id}/segments`, { before: page.body.next });
    expect(older.body.history).toEqual([expect.objectContaining({ change: 'entered' })]);

    const profile = await ws.get(`/v1/profiles/${id}`);
    expect(profile.body.profile).toMatchObject({
      tags: { tier: 'pro' },
      segments: { pro: { since: response.body.segments[0].since } },
    });
  });

  it('quotes CSV fields holding commas, quotes or line breaks', () => {
    expect(csvRow(['plain', 'a,b', 'say "hi"', 'two\nlines', ''])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",',
    );
  });
});
