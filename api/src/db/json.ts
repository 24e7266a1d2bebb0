/** Type of jsonb object columns. `any` values (not `unknown`) so TypeORM's insert/update typings accept it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ObjetoJson = Record<string, any>;
