// The agent console's live updates under load (issue 11, item 13): 500 open
// consoles poll GET /api/v1/changes?since=SEQ&presence=... every 3 s, as
// web/ui/live.js does: half are on the queue (the presence of its 50
// rows), half on a ticket (its presence, and a heartbeat every 12 s as
// agente/presence.js sends), on keep-alive connections; meanwhile wrk
// measures GET /api/v1/tickets/N. The same wrk run without them gives the
// ratio.
// Bounded: each load runs SECS seconds.
//
//   node bench/live.mjs BIN DATA_DIR URL TOKEN SECS [CONSOLES]
import http from 'node:http';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [BIN, DIR, URL_, TOK, SECS_, CONSOLES_] = process.argv.slice(2);
const SECS = Number(SECS_ || 10);
const CONSOLES = Number(CONSOLES_ || 500);
const AGENTS = 100; // five consoles each
const POLL_MS = 3000;
const BEAT_MS = 12000;
const url = new URL(URL_);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0; };

// The server's CPU seconds so far (utime + stime of /proc/PID/stat).
function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function wrk(label) {
  return new Promise((resolve, reject) => {
    const args = ['-t2', '-c32', `-d${SECS}s`, '--latency', '-s', 'bench/get.lua', '-H', `Authorization: Bearer ${TOK}`, `${URL_}/api/v1/tickets`];
    const child = spawn('wrk', args, { env: { ...process.env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', () => {
      const rps = Number((/Requests\/sec:\s+([\d.]+)/.exec(out) || [])[1] || 0);
      const p50 = (/\s50%\s+(\S+)/.exec(out) || [])[1];
      const p99 = (/\s99%\s+(\S+)/.exec(out) || [])[1];
      const bad = (/Non-2xx or 3xx responses:\s+(\d+)/.exec(out) || [])[1] || 0;
      console.log(`${label}: ${rps.toFixed(0)} req/s, p50 ${p50}, p99 ${p99}, non-2xx ${bad}`);
      resolve({ rps, p50, p99 });
    });
  });
}

// One request on the shared keep-alive agent: resolves { status, body, ms }.
const agent = new http.Agent({ keepAlive: true, maxSockets: CONSOLES + 16 });
function request(method, path, tok, body) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const data = body ? JSON.stringify(body) : null;
    const req = http.request({ host: url.hostname, port: url.port, path, method, agent,
      headers: { Authorization: `Bearer ${tok}`, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.on('error', () => resolve({ status: 0, text: '', ms: 0 }));
    if (data) req.write(data);
    req.end();
  });
}

// The agents whose consoles are open (made once with the CLI).
function agents() {
  const toks = [];
  for (let i = 0; i < AGENTS; i++) {
    const email = `consola${i}@bench.example`;
    try {
      execFileSync(BIN, ['user', 'add', '--email', email, '--name', `Agente ${i}`, '--role', 'agent', '--data', DIR], { stdio: 'ignore' });
    } catch { /* already there from an earlier run */ }
    toks.push(execFileSync(BIN, ['token', 'create', '--user', email, '--data', DIR], { encoding: 'utf8' }).trim().split(/\s+/).pop());
  }
  return toks;
}

// One console: the feed every 3 s; on a ticket, a heartbeat every 12 s;
// starting at a random moment of the first period (tabs open at any time).
async function console_(tok, ticket, onQueue, stats, until) {
  const watch = onQueue ? Array.from({ length: 50 }, (_, i) => ticket + i).join(',') : String(ticket);
  let seq = null;
  let nextBeat = Date.now() + Math.random() * BEAT_MS;
  await sleep(Math.random() * POLL_MS);
  while (Date.now() < until.t) {
    const r = await request('GET', `/api/v1/changes?${seq === null ? '' : `since=${seq}&`}presence=${watch}`, tok);
    if (r.status === 200) { seq = JSON.parse(r.text).seq; stats.polls.push(r.ms); } else stats.errors += 1;
    if (!onQueue && Date.now() >= nextBeat) {
      const b = await request('POST', `/api/v1/tickets/${ticket}/presence`, tok, { mode: Math.random() < 0.3 ? 'writing' : 'viewing' });
      if (b.status === 200) stats.beats.push(b.ms); else stats.errors += 1;
      nextBeat += BEAT_MS;
    }
    await sleep(POLL_MS);
  }
}

const pid = Number(process.env.AYUDA_PID || 0);
console.log(`${CONSOLES} consoles (${AGENTS} agents), feed every ${POLL_MS / 1000} s, heartbeat every ${BEAT_MS / 1000} s; wrk -c32 GET /api/v1/tickets/N, ${SECS} s each`);
const toks = agents();
const alone = await wrk('without consoles');

const stats = { polls: [], beats: [], errors: 0 };
const until = { t: Infinity };
const running = Array.from({ length: CONSOLES }, (_, i) => console_(toks[i % AGENTS], 1 + (i % 1000), i % 2 === 0, stats, until));
await sleep(POLL_MS + 1000); // every console has polled once
// The consoles alone: the server's CPU they cost.
const c0 = pid ? cpuSeconds(pid) : 0;
const me0 = process.cpuUsage();
const p0 = stats.polls.length;
const b0 = stats.beats.length;
await sleep(SECS * 1000);
const idleCpu = pid ? (cpuSeconds(pid) - c0) / SECS : NaN;
const me = process.cpuUsage(me0);
const rate = (stats.polls.length - p0) / SECS;
const beats = (stats.beats.length - b0) / SECS;
console.log(`consoles alone: ${rate.toFixed(0)} polls/s and ${beats.toFixed(0)} heartbeats/s; server CPU ${(idleCpu * 100).toFixed(1)} % of one core (${((idleCpu * 1e6) / (rate + beats)).toFixed(0)} µs a request); this client ${(((me.user + me.system) / 1e6 / SECS) * 100).toFixed(1)} %`);
const withc = await wrk(`with ${CONSOLES} consoles`);
until.t = 0;
await Promise.all(running);
agent.destroy();
const after = await wrk('without consoles, again');
console.log(`feed: ${stats.polls.length} polls, p50 ${pct(stats.polls, 0.5).toFixed(1)} ms, p99 ${pct(stats.polls, 0.99).toFixed(1)} ms; heartbeats: ${stats.beats.length}, p50 ${pct(stats.beats, 0.5).toFixed(1)} ms, p99 ${pct(stats.beats, 0.99).toFixed(1)} ms; errors ${stats.errors}`);
const base = (alone.rps + after.rps) / 2;
console.log(`ratio GET req/s with / without the consoles (mean of the runs before and after): ${(withc.rps / base).toFixed(2)} (target >= 0.90)`);
