// @ts-check

/**
 * The requester's comment, kept with each transfer (a batch's comment with each of its transfers): the
 * owners who approve read why it was asked, and the portal shows it with the transfer.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.text('comment').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.dropColumn('comment');
  });
};
