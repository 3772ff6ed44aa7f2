// One schema, two dialects (issue 14, item 2): the tables the migrations
// make on PostgreSQL are SQLite's, column by column: the same names, the
// same kind of type (integer, text, real, blob) and the same nullability. Runs
// where PostgreSQL does (api-pg/schema, tests/pg/run-api.sh).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PG, newDataDir, cleanup, pgSchema, sql } from './helpers.mjs';

const dirs = [];
after(() => dirs.forEach(cleanup));

// SQLite's declared types and PostgreSQL's data_type, by kind.
function kind(type) {
  const t = type.toLowerCase();
  if (/int/.test(t)) return 'integer';
  if (/char|text|clob/.test(t)) return 'text';
  if (/real|floa|doub|numeric/.test(t)) return 'real';
  if (/blob|bytea/.test(t)) return 'blob';
  return t;
}

// { "table.column": "kind null|not null" } of SQLite's tables, without
// the full-text indexes' own tables (FTS5 virtual tables and theirs; on
// PostgreSQL, kb_fts_doc and kb_vocab_es, _en).
function sqliteColumns(dir) {
  const rows = execFileSync('sqlite3', ['-separator', '|', join(dir, 'ayuda.db'),
    "SELECT m.name, p.name, p.type, p.\"notnull\", p.pk FROM sqlite_master m, pragma_table_info(m.name) p"
    + " WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%' AND m.name NOT LIKE 'sqlite_%'"
    + " AND m.name NOT LIKE '%\\_fts\\_%' ESCAPE '\\' AND m.name NOT LIKE 'kb_vocab%'"],
  { encoding: 'utf8', env: { ...process.env, AYUDA_STORE_URL: '' } }).trim().split('\n');
  const cols = {};
  for (const r of rows) {
    const [table, col, type, notnull, pk] = r.split('|');
    cols[`${table}.${col}`] = `${kind(type)} ${notnull === '1' || pk !== '0' ? 'not null' : 'null'}`;
  }
  return cols;
}

function pgColumns(dir) {
  const rows = sql(dir, 'SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns'
    + ` WHERE table_schema = '${pgSchema(dir)}'`
    // PostgreSQL's own tables of the knowledge base's index (migration 38).
    + " AND table_name NOT LIKE 'kb\\_fts\\_%' AND table_name NOT LIKE 'kb\\_vocab%'").split('\n');
  const cols = {};
  for (const r of rows) {
    const [table, col, type, nullable] = r.split('|');
    cols[`${table}.${col}`] = `${kind(type)} ${nullable === 'NO' ? 'not null' : 'null'}`;
  }
  return cols;
}

test('the migrations make the same tables on PostgreSQL as on SQLite', { skip: !PG && 'needs PostgreSQL (api-pg/schema)' }, () => {
  const pg = newDataDir({ demo: false });
  dirs.push(pg);
  // The same migrations on SQLite: no store URL for this init.
  const url = process.env.AYUDA_STORE_URL;
  delete process.env.AYUDA_STORE_URL;
  let lite;
  try {
    lite = newDataDir({ demo: false });
  } finally {
    process.env.AYUDA_STORE_URL = url;
  }
  dirs.push(lite);
  const a = sqliteColumns(lite);
  const b = pgColumns(pg);
  assert.ok(Object.keys(a).length > 300, 'SQLite has its tables');
  assert.deepEqual(b, a);
  assert.equal(sql(pg, 'SELECT MAX(version) FROM schema_migrations'),
    execFileSync('sqlite3', [join(lite, 'ayuda.db'), 'SELECT MAX(version) FROM schema_migrations'], { encoding: 'utf8' }).trim());
});
