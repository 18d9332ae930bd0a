// @ts-check

/**
 * What the finished passes of the current attempt moved, beside the summary that also counts the pass in
 * flight: a run that takes over re-reads the in-flight pass's log from its start, so it must start from
 * these figures, not from the summary, or that pass counts twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.bigInteger('bytes_carried').nullable();
    table.bigInteger('files_carried').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.dropColumn('bytes_carried');
    table.dropColumn('files_carried');
  });
};
