import { randomUUID } from 'node:crypto';

/** The InfluxDB that scripts/influxdb/start.sh started (auth on, an admin user). */
export const SERVER = {
  url: process.env.INFLUXDB_URL ?? '',
  user: process.env.INFLUXDB_USER ?? '',
  pw: process.env.INFLUXDB_PASSWORD ?? '',
};

/** A fresh database name per test, so tests do not see each other's points. */
export const freshDb = () => `t_${randomUUID().replaceAll('-', '')}`;

/** Options of a sink writing to `db` on the server. */
export const options = (db: string) => ({
  endpoint: SERVER.url,
  user: SERVER.user,
  pw: SERVER.pw,
  db,
});

/** Rows of an InfluxQL query as objects, column name to value. */
export async function query(db: string, q: string): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${SERVER.url}/query?${new URLSearchParams({ db, q })}`, {
    headers: { authorization: `Basic ${btoa(`${SERVER.user}:${SERVER.pw}`)}` },
  });
  const body = (await response.json()) as {
    results: Array<{ error?: string; series?: Array<{ columns: string[]; values: unknown[][] }> }>;
  };
  const result = body.results[0];
  if (result?.error) throw new Error(result.error);
  return (result?.series ?? []).flatMap((series) =>
    series.values.map((row) => Object.fromEntries(series.columns.map((c, i) => [c, row[i]]))),
  );
}
