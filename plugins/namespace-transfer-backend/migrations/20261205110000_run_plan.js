// @ts-check

/**
 * The plan a run goes by, apart from the plan the owners approved: the run's own fresh plan is what a
 * resume continues with, while `plan` stays what the approvers saw (the audit trail shows what was agreed).
 * Rows written before this migration hold the run's plan in `plan`; the worker reads it from there when
 * `run_plan` is empty.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.text('run_plan').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.dropColumn('run_plan');
  });
};
