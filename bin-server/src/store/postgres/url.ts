/** Whether `--store` names PostgreSQL. Apart from connection.ts, so telling needs no `pg` loaded. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(text);
}
