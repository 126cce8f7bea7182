/**
 * Drift for the diff benchmark: a changed copy of a CIB, as an operator's hand edits would leave
 * it. Three changes spread over the document: an instance attribute's value changed (middle),
 * a resource removed (last primitive), a meta attribute added (first meta_attributes set).
 * Works on the text so that the rest of the document stays byte for byte as hactl wrote it.
 */
export function mutateCib(xml) {
  const changes = [];
  let out = xml;

  const nvpairs = [...out.matchAll(/<nvpair\b[^>]*\bvalue="([^"]*)"[^>]*\/>/g)];
  if (nvpairs.length) {
    const m = nvpairs[Math.floor(nvpairs.length / 2)];
    const changed = m[0].replace(/\bvalue="[^"]*"/, `value="${m[1]}-drift"`);
    out = out.slice(0, m.index) + changed + out.slice(m.index + m[0].length);
    changes.push(`changed ${attr(m[0], 'id') ?? 'an nvpair'}`);
  }

  const primitives = [...out.matchAll(/<primitive\b[^>]*?(\/>|>)/g)];
  if (primitives.length) {
    const m = primitives[primitives.length - 1];
    const end = m[1] === '/>' ? m.index + m[0].length : out.indexOf('</primitive>', m.index) + '</primitive>'.length;
    // Take the whole line the element sits on, so no blank line is left behind.
    const lineStart = out.lastIndexOf('\n', m.index) + 1;
    const lineEnd = out.indexOf('\n', end);
    const [a, b] = out.slice(lineStart, m.index).trim() === '' && lineEnd !== -1 && out.slice(end, lineEnd).trim() === '' ? [lineStart, lineEnd + 1] : [m.index, end];
    out = out.slice(0, a) + out.slice(b);
    changes.push(`removed primitive ${attr(m[0], 'id')}`);
  }

  const meta = /<meta_attributes\b[^>]*\bid="([^"]*)"[^>]*>/.exec(out);
  if (meta) {
    const at = meta.index + meta[0].length;
    const id = `${meta[1]}-bench-drift`;
    out = out.slice(0, at) + `<nvpair id="${id}" name="target-role" value="Stopped"/>` + out.slice(at);
    changes.push(`added ${id}`);
  }
  if (!changes.length) throw new Error('the CIB has no nvpair, primitive or meta_attributes to change');
  return { xml: out, changes };
}

function attr(tag, name) {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
}
