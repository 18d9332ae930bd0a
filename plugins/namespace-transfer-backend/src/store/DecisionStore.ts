import type { Knex } from 'knex';
import { decisionFromRow } from './rows';
import type { Decision } from './types';

export type NewDecision = Omit<Decision, 'id' | 'decidedAt'>;

/** Decisions are only ever added: the record of who allowed what, with the ownership checked then. */
export class DecisionStore {
  constructor(private readonly db: Knex) {}

  async add(d: NewDecision, at: Date, tx: Knex = this.db): Promise<void> {
    await tx('decisions').insert({
      transfer_id: d.transferId,
      kind: d.kind,
      actor: d.actor,
      comment: d.comment ?? null,
      ownership: JSON.stringify(d.ownership),
      decided_at: at,
    });
  }

  async list(transferId: string): Promise<Decision[]> {
    const rows = await this.db('decisions')
      .where({ transfer_id: transferId })
      .orderBy('id', 'asc');
    return rows.map(decisionFromRow);
  }
}
