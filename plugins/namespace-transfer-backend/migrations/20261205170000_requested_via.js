// @ts-check

/**
 * Where a transfer was asked for: the portal, or the Kubernetes API (a NamespaceTransferRequest that the
 * backend's KEP controller ran and recorded). A transfer of the Kubernetes API is never claimed by the
 * backend's worker, and the request's uid finds its row again on every attempt, restart or new leader.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.string('requested_via', 16).notNullable().defaultTo('portal');
    table.string('kubernetes_request').nullable();
    table.string('kep_request_uid', 64).nullable().unique();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('transfers', table => {
    table.dropUnique(['kep_request_uid']);
    table.dropColumn('kep_request_uid');
    table.dropColumn('kubernetes_request');
    table.dropColumn('requested_via');
  });
};
