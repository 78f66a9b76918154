import type { AudienceResult } from '@junction/core';

import { profileChange, type EvaluatedProfile } from './profile-changes.js';

const now = new Date('2025-03-10T12:00:00Z');
const earlier = new Date('2025-03-01T08:00:00Z');
const context = { now, version: 4, token: 'new-token' };

function profile(overrides: Partial<EvaluatedProfile> = {}): EvaluatedProfile {
  return { _id: 'prf_1', workspaceId: 'ws', traits: {}, ...overrides };
}

function result(overrides: Partial<AudienceResult> = {}): AudienceResult {
  return { tags: {}, segments: [], nextCheckAt: null, ...overrides };
}

describe('profileChange', () => {
  it('returns null when tags, memberships and the next check are unchanged', () => {
    const stored = profile({
      tags: { plan: 'pro', interests: ['shoes', 'bags'] },
      segments: { buyers: { since: earlier } },
      audience: { token: 't', evaluatedAt: earlier, nextCheckAt: now, version: 3 },
    });
    const same = result({
      tags: { plan: 'pro', interests: ['shoes', 'bags'], score: null },
      segments: ['buyers'],
      nextCheckAt: new Date(now.getTime()),
    });
    expect(profileChange(stored, same, context)).toBeNull();
  });

  it('sets changed tag values and unsets tags that became missing or no longer exist', () => {
    const stored = profile({ tags: { plan: 'pro', gone: 3, visits: 2, interests: ['a'] } });
    const change = profileChange(
      stored,
      result({ tags: { plan: null, visits: 3, interests: ['a', 'b'] } }),
      context,
    );
    expect(change?.update.$set).toMatchObject({ 'tags.visits': 3, 'tags.interests': ['a', 'b'] });
    expect(change?.update.$unset).toEqual({ 'tags.plan': '', 'tags.gone': '' });
  });

  it('starts new memberships now and ends the others, reporting when each had started', () => {
    const stored = profile({ segments: { old: { since: earlier }, kept: { since: earlier } } });
    const change = profileChange(stored, result({ segments: ['kept', 'new'] }), context);
    expect(change?.entered).toEqual([{ segment: 'new', since: now }]);
    expect(change?.exited).toEqual([{ segment: 'old', since: earlier }]);
    expect(change?.update.$set).toMatchObject({ 'segments.new': { since: now } });
    expect(change?.update.$unset).toEqual({ 'segments.old': '' });
  });

  it('guards the write with the token it read, or with none for a profile never evaluated', () => {
    const evaluated = profile({
      audience: { token: 'read-token', evaluatedAt: earlier, version: 3 },
    });
    const changed = result({ tags: { plan: 'pro' } });
    expect(profileChange(evaluated, changed, context)?.filter).toEqual({
      _id: 'prf_1',
      mergedInto: { $exists: false },
      'audience.token': 'read-token',
    });
    expect(profileChange(profile(), changed, context)?.filter).toMatchObject({
      'audience.token': { $exists: false },
    });
  });

  it('writes the bookkeeping when only the next check time moved', () => {
    const stored = profile({
      audience: { token: 't', evaluatedAt: earlier, nextCheckAt: earlier, version: 3 },
    });
    const change = profileChange(stored, result({ nextCheckAt: now }), context);
    expect(change?.update).toEqual({
      $set: {
        'audience.token': 'new-token',
        'audience.evaluatedAt': now,
        'audience.nextCheckAt': now,
        'audience.version': 4,
      },
    });
    expect(change?.nextCheckAt).toEqual(now);
  });
});
