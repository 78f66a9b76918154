import type { Collections, MergeDoc } from '@junction/core/store';
import type { Filter } from 'mongodb';

import { HttpError } from '../http/errors.js';
import { olderThan, pageOf, type Cursor } from './page.js';
import type { MergeSummaryDoc } from './profile-views.js';

export interface MergeQuery {
  limit: number;
  before?: Cursor | Date | undefined;
  status?: MergeDoc['status'] | undefined;
  /** Only merges that kept or absorbed one of these profiles. */
  profileIds?: string[] | undefined;
}

/** Lists leave out the profile snapshots: they are the bulk of a merge and only an undo needs them. */
const SUMMARY_PROJECTION = { traitsAfter: 0, 'before.traits': 0, 'before.identities': 0 };

/** The record of merge decisions: applied, refused and undone. */
export class MergeHistory {
  constructor(private readonly db: Collections) {}

  async list(workspaceId: string, query: MergeQuery) {
    const parts: Filter<MergeDoc>[] = [{ workspaceId }];
    if (query.status) parts.push({ status: query.status });
    if (query.profileIds) {
      const ids = { $in: query.profileIds };
      parts.push({ $or: [{ survivorId: ids }, { mergedIds: ids }] });
    }
    if (query.before) parts.push(olderThan('createdAt', query.before));
    const docs = await this.db.merges
      .find(parts.length === 1 ? parts[0]! : { $and: parts }, {
        sort: { createdAt: -1, _id: -1 },
        limit: query.limit + 1,
        projection: SUMMARY_PROJECTION,
      })
      .toArray();
    return pageOf(docs as unknown as MergeSummaryDoc[], query.limit, (doc) => doc.createdAt);
  }

  async get(workspaceId: string, id: string): Promise<MergeDoc> {
    const merge = await this.db.merges.findOne({ _id: id });
    if (!merge || merge.workspaceId !== workspaceId) {
      throw new HttpError(404, 'merge_not_found', 'no such merge in this workspace');
    }
    return merge;
  }
}
