// A stand-in database client for the example (no real database is involved).
export const db = {
  async query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    return [{ sql, params }];
  },
};
