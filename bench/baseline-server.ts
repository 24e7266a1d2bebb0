/**
 * The named baseline of the person-read benchmark: a bare Express 5 + pg handler doing the same primary-key
 * select, with no authentication, validation, audit or logging. Not part of the product. Its pool size is the
 * API's setting, DB_POOL_MAX (same default, 32), so both servers get the same number of connections.
 */
import express from 'express';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 32), application_name: 'lum-bench-baseline' });
const app = express();
app.get('/pessoas/:cpf', async (req, res) => {
  const { rows } = await pool.query('select * from pessoa where cpf = $1', [req.params.cpf]);
  if (rows.length === 0) res.status(404).end();
  else res.json(rows[0]);
});
const server = app.listen(Number(process.env.PORT ?? 3401));
process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
