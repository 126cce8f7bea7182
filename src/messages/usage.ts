import type { MessageEntry } from './entry.js';

/** HA57xx: command-line usage and the summaries that end a command. */
export const USAGE_MESSAGES = {
  HA5701: { severity: 'error', message: '{file}: {count} error(s); nothing was done', hint: 'each error is shown above with its file, line and column' },
  HA5702: { severity: 'error', message: 'unknown format(s) {formats}', hint: 'choose from {known}' },
  HA5703: { severity: 'error', message: 'no cluster {cluster} in {file}', hint: 'clusters: {clusters}' },
  HA5704: { severity: 'error', message: '{file} has {count} clusters and an SVG draws one', hint: 'name one with --cluster: {clusters} (DOT without --cluster draws them all)' },
  HA5706: { severity: 'error', message: 'check takes a topology, or a CIB with --cib FILE or --node NODE, not both and not neither', hint: 'hactl check TOPOLOGY | hactl check --cib FILE | hactl check --node NODE [--ssh-config FILE]' },
  HA5705: { severity: 'error', message: '{file} has no Pacemaker cluster to draw', hint: 'graph draws the clusters under clusters:' },
} as const satisfies Record<string, MessageEntry>;
