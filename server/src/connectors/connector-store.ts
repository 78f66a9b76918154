import type { Collection } from 'mongodb';

import type { ConnectorDefinition } from '@junction/core';
import type { ConnectorDoc } from '@junction/core/store';

import { HttpError } from '../http/errors.js';
import { newId } from '../workspaces/credentials.js';

/** Connector definitions and their state, always scoped to one workspace. */
export class ConnectorStore {
  constructor(private readonly connectors: Collection<ConnectorDoc>) {}

  async create(workspaceId: string, definition: ConnectorDefinition): Promise<ConnectorDoc> {
    const now = new Date();
    // TODO(connectors): encrypt the connection URL at rest; workers need its password to connect.
    const doc: ConnectorDoc = {
      _id: newId('con'),
      workspaceId,
      ...definition,
      status: 'active',
      cursor: null,
      totals: { runs: 0, rows: 0, stored: 0, duplicates: 0, rejected: 0 },
      lastRun: null,
      runs: [],
      lastError: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.connectors.insertOne(doc);
    return doc;
  }

  async list(workspaceId: string): Promise<ConnectorDoc[]> {
    return this.connectors
      .find({ workspaceId }, { projection: { runs: 0 } })
      .sort({ createdAt: -1 })
      .toArray();
  }

  async get(workspaceId: string, connectorId: string): Promise<ConnectorDoc> {
    const doc = await this.connectors.findOne({ _id: connectorId, workspaceId });
    if (!doc) {
      throw new HttpError(
        404,
        'connector_not_found',
        `no connector "${connectorId}" in this workspace`,
      );
    }
    return doc;
  }

  async setStatus(
    workspaceId: string,
    connectorId: string,
    status: ConnectorDoc['status'],
  ): Promise<ConnectorDoc> {
    await this.get(workspaceId, connectorId);
    await this.connectors.updateOne(
      { _id: connectorId, workspaceId },
      { $set: { status, updatedAt: new Date() } },
    );
    return this.get(workspaceId, connectorId);
  }

  async remove(workspaceId: string, connectorId: string): Promise<void> {
    await this.connectors.deleteOne({ _id: connectorId, workspaceId });
  }
}
