// @ts-check

/**
 * The job store: batches, transfers (one row per PVC), decisions and the append-only event log.
 * Written with knex's schema builder only, so the same file runs on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('batches', table => {
    table.comment(
      'Transfers requested together (several PVCs, or a namespace)',
    );
    table.string('id', 64).primary();
    table.string('requester').notNullable();
    table.string('source_cluster').notNullable();
    table.string('source_namespace').notNullable();
    table.string('destination_entity_ref').notNullable();
    table.text('comment').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('transfers', table => {
    table.comment(
      'One row per PVC: the request, its workflow state and the engine run',
    );
    table.string('id', 64).primary();
    table
      .string('batch_id', 64)
      .nullable()
      .references('id')
      .inTable('batches')
      .onDelete('SET NULL');

    table.string('source_cluster').notNullable();
    table.string('source_namespace').notNullable();
    table.string('source_claim').notNullable();
    table.string('source_entity_ref').notNullable();
    table.string('destination_cluster').notNullable();
    table.string('destination_namespace').notNullable();
    table.string('destination_claim').notNullable();
    table.string('destination_storage_class').nullable();
    table.string('destination_size').nullable();
    table.string('destination_entity_ref').notNullable();

    table.string('requested_mode', 16).notNullable();
    table.string('chosen_mode', 16).nullable();
    table.string('intent', 16).notNullable();
    table.text('options').notNullable();
    table.text('plan').notNullable();
    table.string('requester').notNullable();

    table.string('state', 32).notNullable();
    table.string('phase', 32).nullable();
    table.boolean('cancel_requested').notNullable().defaultTo(false);
    table.boolean('past_point_of_no_return').notNullable().defaultTo(false);

    table.bigInteger('bytes_done').nullable();
    table.bigInteger('bytes_total').nullable();
    table.bigInteger('files_done').nullable();
    table.bigInteger('files_total').nullable();
    table.double('rate_bytes_per_second').nullable();
    table.integer('eta_seconds').nullable();

    table.integer('attempt').notNullable().defaultTo(1);
    table.string('engine_transfer_id', 64).notNullable();
    table.bigInteger('downtime_ms').nullable();
    table.text('checkpoint').nullable();

    table.string('lease_holder').nullable();
    table.integer('lease_epoch').notNullable().defaultTo(0);
    table.timestamp('lease_expires_at', { useTz: true }).nullable();

    table.text('error').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.timestamp('cutover_at', { useTz: true }).nullable();

    // the list's filters, and (created_at, id) for keyset pagination in the default order
    table.index(['state', 'created_at'], 'transfers_state_created_idx');
    table.index(['source_cluster', 'source_namespace'], 'transfers_source_idx');
    table.index(
      ['destination_cluster', 'destination_namespace'],
      'transfers_destination_idx',
    );
    table.index(['source_entity_ref'], 'transfers_source_entity_idx');
    table.index(['destination_entity_ref'], 'transfers_destination_entity_idx');
    table.index(['requester', 'created_at'], 'transfers_requester_idx');
    table.index(['created_at', 'id'], 'transfers_created_id_idx');
    table.index(['updated_at', 'id'], 'transfers_updated_id_idx');
    table.index(['batch_id'], 'transfers_batch_idx');
    table.index(['finished_at'], 'transfers_finished_idx');
  });

  await knex.schema.createTable('decisions', table => {
    table.comment(
      'What people decided about a transfer, and the ownership that allowed it',
    );
    table.bigIncrements('id').primary();
    table
      .string('transfer_id', 64)
      .notNullable()
      .references('id')
      .inTable('transfers')
      .onDelete('CASCADE');
    table.string('kind', 16).notNullable();
    table.string('actor').notNullable();
    table.text('comment').nullable();
    table.text('ownership').notNullable();
    table.timestamp('decided_at', { useTz: true }).notNullable();
    table.index(['transfer_id', 'id'], 'decisions_transfer_idx');
    table.index(['actor'], 'decisions_actor_idx');
  });

  await knex.schema.createTable('events', table => {
    table.comment(
      'Append-only log of state, phase, progress, decisions, warnings and errors',
    );
    table.bigIncrements('id').primary();
    table
      .string('transfer_id', 64)
      .notNullable()
      .references('id')
      .inTable('transfers')
      .onDelete('CASCADE');
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('kind', 16).notNullable();
    table.text('payload').notNullable();
    table.index(['transfer_id', 'id'], 'events_transfer_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('events');
  await knex.schema.dropTable('decisions');
  await knex.schema.dropTable('transfers');
  await knex.schema.dropTable('batches');
};
