/**
 * Isomorphic parts of Namespace Transfer shared by the frontend, the backend and the engine: permissions,
 * domain types, API types and input schemas. No Node imports here.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './volumes';
export * from './transfer';
export * from './workflow';
