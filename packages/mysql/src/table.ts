import type { Pool, RowDataPacket } from 'mysql2/promise';
import { createTableSql, type Layout } from './layout.js';

/** What the sink needs to know of a column of the real table. */
export interface ColumnInfo {
  readonly name: string;
  /** Characters a string column holds (varchar(255): 255). */
  readonly maxChars?: number;
  /** Bytes it holds (text: 65535). */
  readonly maxBytes?: number;
  /** utf8mb3 (MySQL's old `utf8`) cannot store emoji and other 4-byte characters. */
  readonly bmpOnly: boolean;
}

/** The real table's columns by name; empty when the table does not exist. */
export type TableInfo = ReadonlyMap<string, ColumnInfo>;

interface ColumnRow extends RowDataPacket {
  name: string;
  maxChars: number | string | null;
  maxBytes: number | string | null;
  charset: string | null;
}

export async function inspectTable(pool: Pool, table: string): Promise<TableInfo> {
  const [rows] = await pool.query<ColumnRow[]>(
    `SELECT COLUMN_NAME AS name, CHARACTER_MAXIMUM_LENGTH AS maxChars,
       CHARACTER_OCTET_LENGTH AS maxBytes, CHARACTER_SET_NAME AS charset
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
    [table],
  );
  const info = new Map<string, ColumnInfo>();
  for (const row of rows) {
    const column: ColumnInfo = {
      name: row.name,
      ...(row.maxChars === null ? {} : { maxChars: Number(row.maxChars) }),
      ...(row.maxBytes === null ? {} : { maxBytes: Number(row.maxBytes) }),
      bmpOnly: row.charset !== null && /^utf8(mb3)?$/i.test(row.charset),
    };
    info.set(row.name.toLowerCase(), column);
  }
  return info;
}

/**
 * The table's columns, after creating it in `layout` when it is missing and
 * `create` allows. Throws a TableProblem when it cannot be written as `layout`.
 */
export async function prepareTable(
  pool: Pool,
  table: string,
  layout: Layout,
  create: boolean,
): Promise<TableInfo> {
  let info = await inspectTable(pool, table);
  if (info.size === 0) {
    if (!create) {
      throw new TableProblem(
        `the table '${table}' does not exist: create it (docs/sinks/mysql.md has its CREATE TABLE) or set create_table=true`,
      );
    }
    await pool.query(createTableSql(table, layout));
    info = await inspectTable(pool, table);
  }
  const missing = layout.columns.filter((c) => !c.optional && !info.has(c.name));
  if (missing.length > 0) {
    const names = missing.map((c) => c.name).join(', ');
    throw new TableProblem(
      `the table '${table}' has no column ${names}: it is not in the ${layout.name} layout (set layout= to the table's, or write to another table)`,
    );
  }
  return info;
}

/** The table cannot take the layout's rows: no retry fixes that. */
export class TableProblem extends Error {
  override readonly name = 'TableProblem';
}
