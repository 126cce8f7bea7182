/**
 * src/xml/parse.ts against libxml2 (xmllint, what Pacemaker itself parses CIBs with): the same
 * trees for every corpus CIB, the same verdict on seeded corruptions of a CIB. parse.test.ts has
 * the parser on its own.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { CORPUS, corpusFiles, prng } from '../diff/corpus.js';
import { needTools, runCommand } from '../helpers/spawn.js';
import { parseXmlOrThrow as ok } from '../helpers/xml.js';

/** libxml2's tree of a document, as XmlElement, through a canonical (C14N) serialisation. */
function viaXmllint(file: string): XmlElement {
  const r = runCommand('xmllint', ['--nonet', '--c14n', file]);
  assert.equal(r.code, 0, r.stderr);
  return ok(r.stdout);
}

const files = corpusFiles();

describe('parseXml agrees with libxml2', { skip: needTools(['xmllint']) || (files.length ? false : `corpus not found at ${CORPUS}`) }, () => {
  it('gives the same tree as xmllint for a sample of the corpus', () => {
    const rnd = prng(11);
    const sample = files.filter(() => rnd() < 0.15);
    assert.ok(sample.length > 80);
    for (const f of sample) {
      const ours = ok(readFileSync(join(CORPUS, f), 'utf8'));
      assert.deepEqual(ours, viaXmllint(join(CORPUS, f)), f);
    }
  });

  it('accepts and refuses what xmllint accepts and refuses, on seeded corruptions of a CIB', () => {
    const base = readFileSync(join(CORPUS, 'simple4.xml'), 'utf8');
    const rnd = prng(3);
    const alphabet = ['<', '>', '&', '"', "'", '/', '=', ' ', '!', '?', '-', ']', 'a', ';', '#'];
    let refused = 0;
    let accepted = 0;
    for (let i = 0; i < 300; i++) {
      let t = base;
      for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) {
        const at = Math.floor(rnd() * t.length);
        const op = rnd();
        t = op < 0.4 ? t.slice(0, at) + t.slice(at + 1) : op < 0.8 ? t.slice(0, at) + alphabet[Math.floor(rnd() * alphabet.length)] + t.slice(at) : t.slice(0, at) + t.slice(at, at + 6).split('').reverse().join('') + t.slice(at + 6);
      }
      const lint = runCommand('xmllint', ['--nonet', '--noout', '-'], { input: t });
      const ours = parseXml(t);
      // Refusals of our own (entity references that only a DTD could define) are stricter by design.
      const entityOnly = !ours.ok && /entity reference|DOCTYPE/.test(ours.error.message);
      if (entityOnly) continue;
      assert.equal(ours.ok, lint.code === 0, `corruption ${i}: ours ${ours.ok ? 'accepted' : `refused (${(ours as { error: { message: string } }).error.message})`}, xmllint ${lint.code === 0 ? 'accepted' : `refused: ${lint.stderr.split('\n')[0]}`}`);
      if (ours.ok) accepted++;
      else refused++;
    }
    assert.ok(refused > 50 && accepted > 20, JSON.stringify({ refused, accepted }));
  });
});
