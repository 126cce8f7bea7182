/**
 * The schema's patterns in words, for HA2005. Keyed by the pattern text as it stands in
 * schemas/topology.schema.json; a pattern missing here falls back to the property's description.
 */
const IPV4 = '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

const IPV6 = '[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}';

export const FORMS: Record<string, string> = {
  [`^(${IPV4}|${IPV6})$`]: 'an IPv4 address in dotted-quad form or an IPv6 address, such as 198.51.100.11 or 2001:db8::11',
  [`^(${IPV4}/([0-9]|[12][0-9]|3[0-2])|${IPV6}/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$`]: 'an IPv4 or IPv6 network in CIDR notation, such as 198.51.100.0/26 or 2001:db8:10::/64',
  '^[a-z][a-z0-9]*(-[a-z0-9]+)*$': 'a name: lowercase letters, digits and single hyphens, starting with a letter',
  '^(?![0-9.]+$)[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?)*$':
    'a node name: a host name or FQDN (letters, digits, - and _, labels separated by single dots, not only digits)',
  '^(fence_[a-z0-9_]+|external/[a-z0-9_-]+)$': 'a fence agent: fence_<name> (fence-agents) or external/<name> (cluster-glue)',
  '^(ocf:[a-z0-9_-]+:[A-Za-z0-9_.-]+|(lsb|systemd|service):[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}|stonith:[A-Za-z0-9_/-]+)$':
    'a resource agent: ocf:<provider>:<type>, lsb:<script>, systemd:<unit> or service:<name>',
  '^/[A-Za-z0-9._/-]*$': 'an absolute path of letters, digits and . _ - /',
  '^/dev/[A-Za-z0-9._/-]+$': 'a device path under /dev, such as /dev/sdb',
  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$': 'a lowercase UUID (uuidgen prints one)',
  '^[1-9][0-9]*[KMGTP]$': 'a size with a unit K, M, G, T or P, such as 50G',
  '^[A-Z_][A-Z0-9_]*$': 'an environment variable name: uppercase letters, digits and _',
  '^[A-Za-z0-9._/-]+$': 'a relative file path of letters, digits and . _ - /',
  '^[A-Za-z0-9._@-]+$': 'a login of letters, digits and . _ @ -',
  '^[A-Za-z][A-Za-z0-9_-]{0,63}$': 'a region name: a letter, then letters, digits, _ or - (at most 64 characters)',
  '^[a-zA-Z_][a-zA-Z0-9_-]*$': 'a parameter name: letters, digits, _ and -, not starting with a digit',
  '^[a-z][a-z0-9-]*$': 'a Pacemaker property name: lowercase letters, digits and -',
  '^[a-z][a-z0-9.]{0,14}$': 'an interface name: lowercase letters, digits and dots (at most 15 characters)',
  '^[a-z][a-z0-9]{0,14}$': 'an interface name: lowercase letters and digits (at most 15 characters)',
  '^[a-z_][a-z0-9_-]{0,31}$': 'a Unix user name: lowercase letters, digits, _ and - (at most 32 characters)',
  '^\\.?[a-z0-9][a-z0-9._-]*$': 'a Ceph pool name: lowercase letters, digits, . _ - (may start with a dot)',
};
