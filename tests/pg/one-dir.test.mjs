// A test file for tests/pg/schemas.sh: it makes one data dir on the
// PostgreSQL of tests/pg/run-api.sh, and fails when AY_FAIL is 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, sql } from '../api/helpers.mjs';

const dir = newDataDir({ demo: false });

test('one data dir, its schema', () => {
  assert.equal(sql(dir, "SELECT value FROM counters WHERE name = 'ticket'"), '0');
  assert.notEqual(process.env.AY_FAIL, '1', 'asked to fail (AY_FAIL=1)');
});
