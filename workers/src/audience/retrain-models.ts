import {
  compileCondition,
  featureNumber,
  readPath,
  type AudienceDefinitions,
  type ClassifierModel,
  type TrainedModel,
} from '@junction/core';
import type { AudienceCollections, Collections } from '@junction/core/store';
import {
  audienceProfile,
  compileEvaluator,
  EVALUATED_PROJECTION,
  type Audience,
  type EvaluatedProfile,
  type LoadedAudience,
} from '@junction/server/audience';
import type { AudienceJobRef } from '@junction/workflows/activities';

import type { Logger } from '../logger.js';
import { JobProgress } from './job-progress.js';
import { trainClassifier, type TrainingRow } from './train-classifier.js';

export interface RetrainDeps {
  db: Collections;
  audienceDb: AudienceCollections;
  audience: Pick<Audience, 'state'>;
  log: Logger;
}

const DAY_MS = 86_400_000;
const HEARTBEAT_EVERY = 500;

interface DueModel {
  tag: string;
  version: number;
  model: ClassifierModel;
  rows: TrainingRow[];
}

/** Missing, trained for another version of the tag, or older than its retraining interval. */
function isDue(
  trained: TrainedModel | undefined,
  version: number,
  model: ClassifierModel,
  now: Date,
) {
  if (!trained || trained.tagVersion !== version) return true;
  const everyDays = model.retrainEveryDays ?? 7;
  return now.getTime() - Date.parse(trained.trainedAt) >= everyDays * DAY_MS;
}

function dueModels(audience: AudienceDefinitions, now: Date): DueModel[] {
  return [...audience.tags].flatMap(([tag, { version, definition }]) => {
    const { rule } = definition;
    if (rule.kind !== 'model' || rule.model.method !== 'logistic') return [];
    if (!isDue(audience.models.get(tag), version, rule.model, now)) return [];
    return [{ tag, version, model: rule.model, rows: [] }];
  });
}

/** Each live person's features and label, added to the rows of every due model. */
async function gatherRows(
  db: Collections,
  workspaceId: string,
  pass: {
    definitions: LoadedAudience;
    due: DueModel[];
    now: Date;
    progress: JobProgress<null>;
  },
): Promise<void> {
  const { definitions, due, now } = pass;
  const evaluator = compileEvaluator(definitions, now);
  const outcomes = due.map(({ model }) => compileCondition(model.outcome, definitions, now));
  const profiles = db.profiles.find<EvaluatedProfile>(
    { workspaceId, mergedInto: { $exists: false } },
    { projection: EVALUATED_PROJECTION, batchSize: HEARTBEAT_EVERY },
  );
  let read = 0;
  for await (const doc of profiles) {
    if (++read % HEARTBEAT_EVERY === 0) await pass.progress.report({});
    const profile = audienceProfile(doc);
    const { tags } = evaluator.evaluate(profile);
    due.forEach(({ model, rows }, index) => {
      const features = model.features.map((feature) =>
        featureNumber(
          'tag' in feature ? tags[feature.tag] : readPath(doc.traits, feature.trait, true),
        ),
      );
      rows.push({ id: doc._id, features, label: outcomes[index]!(profile) });
    });
  }
}

/**
 * Retrains the classifier tags that are due on the workspace's own people: each person's
 * features are their computed tag values and raw traits, the label whether they meet the
 * model's outcome. New models are published, so scores use them from the next evaluation on.
 */
export function createRetrainAudienceModels({ db, audienceDb, audience, log }: RetrainDeps) {
  return async function retrainAudienceModels(
    job: AudienceJobRef,
  ): Promise<{ trained: string[]; failed: string[] }> {
    const { workspaceId } = job;
    const now = new Date();
    const definitions = await audience.state.load(workspaceId);
    const due = dueModels(definitions, now);
    if (due.length === 0) return { trained: [], failed: [] };

    const progress = new JobProgress<null>(audienceDb.audienceJobs, job.jobId);
    await gatherRows(db, workspaceId, { definitions, due, now, progress });

    const trained: string[] = [];
    const failed: string[] = [];
    for (const { tag, version, rows } of due) {
      const model = trainClassifier(rows, { tag, tagVersion: version, now });
      if ('error' in model) {
        log.warn(
          { workspaceId, tag, reason: model.error, detail: model.message },
          'model not trained',
        );
        failed.push(tag);
        continue;
      }
      await audienceDb.audienceModels.replaceOne(
        { _id: `${workspaceId}:${tag}` },
        { workspaceId, ...model },
        { upsert: true },
      );
      trained.push(tag);
    }
    if (trained.length > 0) await audience.state.published(workspaceId);
    return { trained, failed };
  };
}
