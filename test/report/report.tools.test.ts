/**
 * hactl report opened in headless Chromium (Debian's chromium, installed by .ci/install-deps): per
 * fixture a screenshot, no console message (the page runs no script, so any message is an error or
 * a blocked request), and a DOM with one matrix row per rehearsal scenario and every node and VIP.
 * Chromium resolves no host name here (--host-resolver-rules), so the page must be whole offline.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { scenariosOf } from '../../src/check/index.js';
import { loadTopology } from '../../src/load.js';
import { escapeHtml } from '../../src/report/html.js';
import { hactl, ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const CHROMIUM = 'chromium';
const FIXTURES = ['fixtures/pixelpark.yaml', 'fixtures/havana.yaml', 'fixtures/three-controllers.yaml', 'fixtures/lab.yaml', 'fixtures/valid/fencing-disabled.yaml'];
const work = mkdtempSync(join(tmpdir(), 'hactl-report-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** One headless Chromium run; its own profile, no network, console messages on stderr. */
function chromium(args: string[]): { stdout: string; stderr: string } {
  const profile = mkdtempSync(join(work, 'profile-'));
  const r = spawnSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--host-resolver-rules=MAP * ~NOTFOUND', '--enable-logging=stderr', '--v=0', ...args],
    { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(r.status, 0, r.stderr);
  return { stdout: r.stdout, stderr: r.stderr };
}

function consoleMessages(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l));
}

describe('hactl report in headless Chromium', { skip: needTools(['chromium', 'crm_simulate']) }, () => {
  for (const file of FIXTURES) {
    test(`${file}: a screenshot, no console message, one row per scenario, every node and VIP`, () => {
      const name = file.replace(/^.*\//, '').replace(/\.yaml$/, '');
      const html = join(work, `${name}.html`);
      const r = hactl(['report', file, '-o', html]);
      assert.equal(r.code, 0, r.stderr);
      const text = readFileSync(html, 'utf8');
      assert.doesNotMatch(text, /<script|<link|@import|url\(|https?:\/\/(?!www\.w3\.org\/)/i, 'self-contained: nothing to fetch or run');

      const png = join(work, `${name}.png`);
      const dom = chromium([`--screenshot=${png}`, '--window-size=1280,2000', '--dump-dom', pathToFileURL(html).href]);
      assert.ok(statSync(png).size > 10_000, 'a screenshot with something on it');
      assert.deepEqual(consoleMessages(dom.stderr), []);
      // The scenarios the rehearsal runs: the page has a row for each, in order.
      const t = loadTopology(readFileSync(join(ROOT, file), 'utf8'), file).topology!;
      const scenarios = Object.values(t.clusters).flatMap((c) => scenariosOf(c).map((s) => `${c.name}:${s.join(' ')}`));
      const rows = [...dom.stdout.matchAll(/<table class="grid matrix" data-cluster="([^"]*)">(.*?)<\/table>/gs)].flatMap((m) =>
        [...m[2]!.matchAll(/<tr class="scenario[^"]*" data-failed="([^"]*)"/g)].map((x) => `${m[1]}:${x[1]}`),
      );
      assert.deepEqual(rows, scenarios);
      for (const n of Object.keys(t.nodes)) assert.match(dom.stdout, new RegExp(`<tr class="node" data-node="${n}">`), `node ${n}`);
      for (const c of Object.values(t.clusters)) {
        for (const v of Object.values(c.vips)) {
          assert.match(dom.stdout, new RegExp(`<tr class="vip" data-vip="${c.name}/${v.name}">.*?${v.address.replace(/\./g, '\\.')}`), `VIP ${c.name}/${v.name}`);
        }
      }
      // The pictures made it in: the map names every node, each cluster's graph every resource.
      const svgs = dom.stdout.match(/<svg\b/g) ?? [];
      assert.equal(svgs.length, 1 + Object.keys(t.clusters).length);
    });
  }

  test('hostile text from the topology is shown as text, never as markup', () => {
    const dir = mkdtempSync(join(work, 'hostile-'));
    const evil = `</figcaption><script>alert("x")</script><img src=x onerror=alert(1)> & 'quoted'`;
    const source = readFileSync(join(ROOT, 'fixtures/valid/fencing-disabled.yaml'), 'utf8');
    const edited = source.replace(/reason: "[^"]*"/, `reason: ${JSON.stringify(evil)}`);
    assert.notEqual(edited, source);
    const file = join(dir, `a<b>&"c".yaml`);
    writeFileSync(file, edited);
    const html = join(dir, 'r.html');
    const r = hactl(['report', '--no-rehearsal', file, '-o', html]);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(html, 'utf8');
    assert.ok(text.includes(escapeHtml(evil)));
    assert.ok(text.includes(escapeHtml(file)));
    const dom = chromium(['--dump-dom', pathToFileURL(html).href]);
    assert.deepEqual(consoleMessages(dom.stderr), []);
    assert.doesNotMatch(dom.stdout, /<script|<img/);
    assert.match(dom.stdout, /onerror=alert\(1\)&gt; &amp; 'quoted'/);
  });
});

test('hactl report refuses an existing output unless --force, and writes nothing half', () => {
  const out = join(work, 'exists.html');
  writeFileSync(out, 'mine');
  const r = hactl(['report', '--no-rehearsal', 'fixtures/pixelpark.yaml', '-o', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /HA4008: .*exists\.html exists; hactl does not overwrite it/);
  assert.equal(readFileSync(out, 'utf8'), 'mine');
  const forced = hactl(['report', '--no-rehearsal', '--force', 'fixtures/pixelpark.yaml', '-o', out]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(out, 'utf8'), /^<!DOCTYPE html>/);
  assert.match(readFileSync(out, 'utf8'), /The rehearsal was skipped/);
  const missingDir = hactl(['report', '--no-rehearsal', 'fixtures/pixelpark.yaml', '-o', join(work, 'no', 'such', 'dir.html')]);
  assert.equal(missingDir.code, 2);
  assert.match(missingDir.stderr, /HA4007: cannot write .*dir\.html: the folder .*such does not exist/);
  assert.equal(existsSync(join(work, 'no')), false);
});
