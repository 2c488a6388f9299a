import * as kit from '@keventer/core/kit';
import { MongoClient, type WriteConcernSettings } from 'mongodb';
import type { mongoOptions } from './options.js';

type Options = kit.ParsedOptions<typeof mongoOptions>;

// MongoDB's rules: no '/\. "$' and no NUL in a database name; a collection name does not start with 'system.'.
const DATABASE_NAME = /^[^/\\. "$\0]{1,63}$/;
const COLLECTION_NAME = /^(?!system\.)[^$\0]{1,120}$/;

/** The client, its collection and write concern, or a SinkConfigError naming every bad value (never the URL). */
export function mongoClient(
  sink: string,
  options: Options,
  connections: number,
): { client: MongoClient; writeConcern: WriteConcernSettings | undefined } {
  const problems: string[] = [];
  if (!/^mongodb(\+srv)?:\/\//.test(options.url)) {
    problems.push(
      "option 'url' is not a MongoDB connection string: start it with mongodb:// or mongodb+srv://",
    );
  }
  if (!DATABASE_NAME.test(options.database)) {
    problems.push(
      `option 'database': '${options.database}' is not a database name (no / \\ . " $ or space, at most 63)`,
    );
  }
  if (!COLLECTION_NAME.test(options.collection)) {
    problems.push(
      `option 'collection': '${options.collection}' is not a collection name (no $, not system.*)`,
    );
  }
  const writeConcern = parseWriteConcern(options.write_concern, problems);
  let client: MongoClient | undefined;
  if (problems.length === 0) {
    try {
      client = new MongoClient(options.url, {
        maxPoolSize: connections,
        serverSelectionTimeoutMS: options.timeout,
        connectTimeoutMS: options.timeout,
        appName: 'keventer',
      });
    } catch (err) {
      // The driver's parse errors name the bad part, not the password (the kit masks it anyway).
      problems.push(`option 'url': ${(err as Error).message}`);
    }
  }
  if (problems.length > 0 || client === undefined) throw new kit.SinkConfigError(sink, problems);
  if (client.options.writeConcern?.w === 0 && writeConcern === undefined) {
    void client.close();
    throw new kit.SinkConfigError(sink, [
      "option 'url': w=0 (unacknowledged) cannot tell a delivered event from a lost one: use w=1 or majority",
    ]);
  }
  return { client, writeConcern };
}

function parseWriteConcern(
  value: string | undefined,
  problems: string[],
): WriteConcernSettings | undefined {
  if (value === undefined) return undefined;
  if (value === 'majority') return { w: 'majority' };
  if (/^[1-9]\d{0,1}$/.test(value)) return { w: Number(value) };
  problems.push(
    `option 'write_concern': '${value}' is not majority or a number of members from 1 (0, unacknowledged, cannot tell a delivered event from a lost one)`,
  );
  return undefined;
}
