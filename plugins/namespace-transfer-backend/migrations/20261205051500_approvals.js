// @ts-check

/**
 * The distinct approvers of a request, so that config can require more than one approval: an owner counts
 * once, and a request sent back for approval (its plan changed) starts again with none.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('transfers', table => {
    // a JSON array of user entity refs
    table.text('approved_by').notNullable().defaultTo('[]');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.dropColumn('approved_by');
  });
};
