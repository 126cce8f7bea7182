/**
 * The handlebars side of node files: templates/<name>.hbs, each read and compiled at most once per
 * process, on first use. Strict mode (a missing field is an error, not an empty string) and no
 * HTML escaping: values are never escaped, because every value has been checked against the
 * file's grammar (rules/grammars.ts) and is checked again here as the template reads it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { familyOf, hostPort, urlHost } from '../../util/ip.js';
import type Handlebars from 'handlebars';
// The file, not the package's `handlebars/runtime` path: Node's ES module loader finds no such
// path (the package declares no exports), and the file's own types declare nothing.
import runtimeModule from 'handlebars/runtime.js';
import { grammarProblem, type Grammar } from '../../formats/grammars.js';
import { templatesDir } from '../../paths.js';
import { PRECOMPILED } from './generated/templates.js';

/** Encodings a secret reference may ask for, applied by apply in order after resolving it. */
export type SecretEncoding = 'url' | 'oslo';

/** The literal reference apply resolves: {{secret:NAME}} or {{secret:NAME|url|oslo}}. */
export function secretRef(name: string, encodings: readonly SecretEncoding[] = []): string {
  return `{{secret:${[name, ...encodings].join('|')}}}`;
}

/** Matches every secret reference in a rendered file (used by tests and by apply). */
export const SECRET_REF = /\{\{secret:([a-z][a-z0-9]*(?:-[a-z0-9]+)*)((?:\|(?:url|oslo))*)\}\}/g;

interface RenderData {
  secrets: Set<string>;
  /** Encoding the file's grammar needs for every secret (oslo: '$' doubled). */
  fileEncodings: SecretEncoding[];
}

/** Runs precompiled templates: handlebars' runtime, without its parser and code generator. */
let runtime: typeof Handlebars | undefined;
/** Compiles a template the build did not precompile (a changed text, one given through the library). */
let compiler: typeof Handlebars | undefined;
const compiled = new Map<string, Handlebars.TemplateDelegate>();
/** Template texts given through the library (extendCatalogue), by name: they come before templates/. */
const given = new Map<string, string>();

/** Adds (or replaces) a template by name; returns the function that takes it back. */
export function addTemplate(name: string, text: string): () => void {
  given.set(name, text);
  compiled.delete(name);
  return () => {
    if (given.get(name) !== text) return;
    given.delete(name);
    compiled.delete(name);
  };
}

/** The helpers every template may use, on a new handlebars environment. */
function withHelpers(h: typeof Handlebars): typeof Handlebars {
  // {{secret NAME}} or {{secret NAME "url"}}: writes a reference, never a value, and records the
  // name so the manifest lists exactly the secrets the file refers to.
  h.registerHelper('secret', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Handlebars.HelperOptions;
    const [name, ...encodings] = args as string[];
    const data = options.data.root_data as RenderData;
    if (typeof name !== 'string') throw new Error('secret helper: missing name');
    data.secrets.add(name);
    return secretRef(name, [...(encodings as SecretEncoding[]), ...data.fileEncodings]);
  });
  h.registerHelper('join', (list: unknown, sep: unknown) => {
    if (!Array.isArray(list) || typeof sep !== 'string') throw new Error('join helper: expects a list and a separator');
    return list.join(sep);
  });
  h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // An address where a port or path follows (URLs, host:port): IPv6 literals in brackets.
  h.registerHelper('urlhost', (address: unknown) => {
    if (typeof address !== 'string') throw new Error('urlhost helper: expects an address');
    return urlHost(address);
  });
  // A memcached server as python-memcached and pymemcache read it: inet6:[addr]:port for IPv6.
  h.registerHelper('memcache', (address: unknown, port: unknown) => {
    if (typeof address !== 'string' || typeof port !== 'number') throw new Error('memcache helper: expects an address and a port');
    return familyOf(address) === 6 ? `inet6:${hostPort(address, port)}` : hostPort(address, port);
  });
  return h;
}

// The compiler (parser, code generator) is loaded only when a template needs it: the build has
// compiled the package's templates, and loading it cost compile about 13M instructions.
const requireModule = createRequire(import.meta.url);
const compilingEnvironment = (): typeof Handlebars => (compiler ??= withHelpers((requireModule('handlebars') as typeof Handlebars).create()));

const TEMPLATE_OPTIONS = { strict: true, noEscape: true };

function template(name: string): Handlebars.TemplateDelegate {
  let t = compiled.get(name);
  if (!t) {
    const text = given.get(name) ?? readFileSync(join(templatesDir(), `${name}.hbs`), 'utf8');
    // Compiling every template at each start cost more than the rest of `hactl compile`; the build
    // precompiles them (scripts/build-templates.mjs). Used only for this very text and these
    // options; anything else is compiled here as before. (Copies: handlebars extends the options.)
    const pre = PRECOMPILED[name];
    t =
      pre && pre.text === text && pre.options === JSON.stringify(TEMPLATE_OPTIONS)
        ? (runtime ??= withHelpers((runtimeModule as unknown as typeof Handlebars).create())).template(pre.spec)
        : compilingEnvironment().compile(text, { ...TEMPLATE_OPTIONS });
    compiled.set(name, t);
  }
  return t;
}

/**
 * The render context as the template sees it: every string is checked against the file's grammar
 * when the template reads it, so exactly the values that reach the file are checked (a shared
 * context may carry values other files need). A refused value is a bug: the value-grammar rule
 * should have refused it at validation, so this throws instead of writing the file.
 */
function guarded<T extends object>(grammar: Grammar, value: T, path: string, seen: WeakMap<object, object>): T {
  const known = seen.get(value);
  if (known) return known as T;
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      const v: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      if (typeof v === 'string') {
        const problem = grammarProblem(grammar, v);
        if (problem) throw new Error(`internal: unchecked value ${JSON.stringify(v)} at ${path}.${key} reached a ${grammar} file: ${problem}`);
        return v;
      }
      return v && typeof v === 'object' ? guarded(grammar, v, `${path}.${key}`, seen) : v;
    },
  });
  seen.set(value, proxy);
  return proxy;
}

export interface Rendered {
  content: string;
  /** Secret names the file refers to, sorted. */
  secrets: string[];
}

export function render(name: string, grammar: Grammar, context: object): Rendered {
  const data: RenderData = { secrets: new Set(), fileEncodings: grammar === 'oslo' ? ['oslo'] : [] };
  const content = template(name)(guarded(grammar, context, name, new WeakMap()), { data: { root_data: data } });
  return { content, secrets: [...data.secrets].sort() };
}
