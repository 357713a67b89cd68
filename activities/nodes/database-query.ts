import { ApplicationFailure } from '@temporalio/activity';
import { Client, type QueryResult } from 'pg';
import Cursor from 'pg-cursor';
import { z } from 'zod';
import { widget } from '../../contract/widgets';
import { durationToMs } from '../../engine/duration';
import { durationSchema } from '../../engine/graph';
import { refusalIn } from '../net/outbound-guard';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';
import { requiredCredentialIdSchema } from '../credential-kinds';

const parameterSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);

const configSchema = z
  .object({
    credentialId: requiredCredentialIdSchema('a PostgreSQL connection credential'),
    sql: z.string().min(1).max(100_000).meta(widget('multiline')).describe('one statement; values as $1, $2… placeholders, never written into the text'),
    params: z.array(parameterSchema).max(1000).default([]).describe('the values of $1, $2…, bound by the server'),
    readOnly: z.boolean().default(true).describe('run in a READ ONLY transaction: writes are refused by PostgreSQL'),
    maxRows: z.number().int().min(1).max(10_000).default(1000).describe('rows returned at most; the output says when more were cut'),
    timeout: durationSchema.default('30s').describe('statement timeout'),
  })
  .strict();

/** SQLSTATE classes that another attempt will meet again: syntax, access, data and read-only violations. */
const FINAL_SQLSTATE_CLASSES = ['22', '23', '25', '28', '42', '0A'];

export const databaseQueryNode = defineTaskNode({
  type: 'database-query',
  version: 1,
  category: 'data',
  label: 'Database Query',
  keywords: ['sql', 'postgres', 'db'],
  description:
    'Runs one parameterised SQL statement against a PostgreSQL credential. Values are always bound ($1, $2…), never ' +
    'interpolated; read-only by default (a READ ONLY transaction), with a statement timeout and a row cap.',
  config: configSchema,
  output: z.object({
    rows: z.array(z.record(z.string(), z.unknown())),
    rowCount: z.number().describe('rows returned, or rows a write changed'),
    columns: z.array(z.string()),
    truncated: z.boolean().describe('the statement had more rows than maxRows'),
  }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Rows' }],
  credentialKinds: ['postgres'],
  retry: { ...DEFAULT_RETRY, maximumAttempts: 3 },
  timeouts: { startToClose: '5m' },
  async run({ config, credential, node, socket }) {
    if (!credential) throw ApplicationFailure.create({ message: `${node.label} needs a PostgreSQL credential (config.credentialId)`, type: 'InvalidCredential', nonRetryable: true });
    // The connection goes through the outbound policy like any HTTP request: the credential's host is judged, the
    // socket reaches only the addresses judged, and the service's own database is refused whatever the allowlist.
    const client = new Client({ connectionString: credential.data.connectionString, stream: socket, statement_timeout: durationToMs(config.timeout), connectionTimeoutMillis: 10_000, application_name: 'kai-fusion' });
    // A connection dropped while idle must not crash the worker; the query in flight fails on its own.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      throw refusalIn(error) ?? ApplicationFailure.create({ message: `${node.label}: cannot connect with credential ${credential.name ?? credential.id}: ${(error as Error).message}`, type: 'DatabaseUnavailable' });
    }
    try {
      await client.query(config.readOnly ? 'begin transaction read only' : 'begin');
      // Through a cursor, so a huge result is never fetched whole: one row past the cap tells that there were more.
      const cursor = client.query(new Cursor<Record<string, unknown>>(config.sql, config.params));
      const { rows, result } = await readRows(cursor, config.maxRows + 1);
      await cursor.close();
      await client.query('commit');
      const kept = rows.slice(0, config.maxRows);
      return { rows: kept, rowCount: rows.length === 0 ? (result.rowCount ?? 0) : kept.length, columns: result.fields.map((field) => field.name), truncated: rows.length > config.maxRows };
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw sqlFailure(error, node.label);
    } finally {
      await client.end().catch(() => undefined);
    }
  },
});

function readRows(cursor: Cursor<Record<string, unknown>>, count: number): Promise<{ rows: Record<string, unknown>[]; result: QueryResult }> {
  return new Promise((resolve, reject) => {
    cursor.read(count, (error, rows, result) => (error ? reject(error) : resolve({ rows, result })));
  });
}

function sqlFailure(error: unknown, label: string): ApplicationFailure {
  const code = (error as { code?: unknown }).code;
  const final = typeof code === 'string' && FINAL_SQLSTATE_CLASSES.includes(code.slice(0, 2));
  return ApplicationFailure.create({
    message: `${label}: ${(error as Error).message}${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}`,
    type: final ? 'DatabaseQueryError' : 'DatabaseUnavailable',
    nonRetryable: final,
  });
}
