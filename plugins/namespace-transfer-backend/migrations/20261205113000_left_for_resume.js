// @ts-check

/**
 * A failure that left its objects on the clusters for a resume without being past its point of no return
 * (a cluster did not answer, so the run did not roll back): it is resumed, or cancelled (a resume that
 * rolls back), never retried, since a new attempt would leave the old one's objects and stopped workloads.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.boolean('left_for_resume').notNullable().defaultTo(false);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.dropColumn('left_for_resume');
  });
};
