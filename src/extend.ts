/**
 * Adding to the catalogue through the library: a service entry (with its endpoint), the
 * configuration files its processes read, and their template texts, as data. This is how a test
 * proves that a service is added by data alone; it is also the seam for a site catalogue.
 * The additions hold for the process until the returned function takes them back.
 */
import { SERVICES, type ServiceEntry } from './catalog/index.js';
import { OPENSTACK_FILES, type OpenStackFile } from './compile/files/openstack.js';
import { addTemplate } from './compile/files/templates.js';

export interface CatalogueExtension {
  services?: ServiceEntry[];
  files?: OpenStackFile[];
  /** Template texts by name (what `template` of a file names), in place of templates/NAME.hbs. */
  templates?: Record<string, string>;
}

export function extendCatalogue(ext: CatalogueExtension): () => void {
  const taken = new Set([...SERVICES.map((e) => e.key), ...OPENSTACK_FILES.map((f) => f.id)]);
  for (const x of [...(ext.services ?? []).map((e) => e.key), ...(ext.files ?? []).map((f) => f.id)]) {
    if (taken.has(x)) throw new Error(`catalogue extension: ${x} is already in the catalogue`);
  }
  SERVICES.push(...(ext.services ?? []));
  OPENSTACK_FILES.push(...(ext.files ?? []));
  const undo = Object.entries(ext.templates ?? {}).map(([name, text]) => addTemplate(name, text));
  const remove = <T>(list: T[], x: T) => {
    const i = list.indexOf(x);
    if (i >= 0) list.splice(i, 1);
  };
  return () => {
    for (const e of ext.services ?? []) remove(SERVICES, e);
    for (const f of ext.files ?? []) remove(OPENSTACK_FILES, f);
    for (const u of undo) u();
  };
}
