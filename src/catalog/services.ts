/**
 * The catalogue entries. Agents are the ones real deployments of the era used (see
 * ../shared/notes/openstack-catalogue.md): the OpenStack resource agents (ocf:openstack:*),
 * resource-agents' heartbeat agents and ceph's rbd agent.
 */
import type { Operation, ServiceEntry } from './types.js';

// Timeouts: OpenStack daemons take tens of seconds to start on a loaded controller (they connect
// to MySQL and RabbitMQ first); the HA Guide's examples use 30s monitors and 10s intervals.
const apiOps: Operation[] = [
  { name: 'start', timeout: '60s' },
  { name: 'stop', timeout: '60s' },
  { name: 'monitor', interval: '30s', timeout: '30s' },
];

export const SERVICES: ServiceEntry[] = [
  {
    key: 'mysql',
    name: 'mysql',
    summary: 'MySQL database, active/passive on an RBD-backed filesystem behind the VIP',
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    storage: true,
    processes: [
      {
        id: 'mysql',
        daemon: 'mysqld',
        agent: 'ocf:heartbeat:mysql',
        params: { config: '/etc/mysql/my.cnf', datadir: '{rbd.mount}', pid: '/var/run/mysqld/mysqld.pid', socket: '/var/run/mysqld/mysqld.sock' },
        operations: [
          { name: 'start', timeout: '120s' },
          { name: 'stop', timeout: '120s' },
          { name: 'monitor', interval: '20s', timeout: '30s' },
        ],
      },
    ],
    after: [],
  },
  {
    key: 'rabbitmq',
    name: 'rabbitmq',
    summary: 'RabbitMQ message queue, active/passive behind the VIP',
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      {
        id: 'rabbitmq',
        daemon: 'rabbitmq-server',
        agent: 'ocf:rabbitmq:rabbitmq-server',
        operations: [
          { name: 'start', timeout: '120s' },
          { name: 'stop', timeout: '120s' },
          { name: 'monitor', interval: '10s', timeout: '20s' },
        ],
      },
    ],
    after: [],
  },
  {
    key: 'keystone',
    name: 'keystone',
    summary: 'Keystone identity service',
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      { id: 'keystone', daemon: 'keystone-all', agent: 'ocf:openstack:keystone', params: { config: '/etc/keystone/keystone.conf', user: 'keystone' }, operations: apiOps },
    ],
    after: ['mysql'],
  },
  {
    key: 'glance',
    name: 'glance',
    summary: 'Glance image service: registry and API',
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      { id: 'glance-registry', daemon: 'glance-registry', agent: 'ocf:openstack:glance-registry', params: { config: '/etc/glance/glance-registry.conf', user: 'glance' }, operations: apiOps },
      { id: 'glance-api', daemon: 'glance-api', agent: 'ocf:openstack:glance-api', params: { config: '/etc/glance/glance-api.conf', user: 'glance' }, operations: apiOps },
    ],
    after: ['mysql', 'keystone'],
  },
  {
    key: 'nova',
    name: 'nova',
    summary: 'Nova controller services: api, scheduler, cert, consoleauth, conductor, novncproxy',
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      { id: 'nova-api', daemon: 'nova-api', agent: 'ocf:openstack:nova-api', params: { config: '/etc/nova/nova.conf', user: 'nova' }, operations: apiOps },
      { id: 'nova-scheduler', daemon: 'nova-scheduler', agent: 'ocf:openstack:nova-scheduler', params: { config: '/etc/nova/nova.conf', user: 'nova' }, operations: apiOps },
      { id: 'nova-cert', daemon: 'nova-cert', agent: 'ocf:openstack:nova-cert', params: { config: '/etc/nova/nova.conf', user: 'nova' }, operations: apiOps },
      { id: 'nova-consoleauth', daemon: 'nova-consoleauth', agent: 'ocf:openstack:nova-consoleauth', params: { config: '/etc/nova/nova.conf', user: 'nova' }, operations: apiOps },
      // No OpenStack resource agent exists for nova-conductor; deployments ran its init script.
      { id: 'nova-conductor', daemon: 'nova-conductor', agent: 'lsb:nova-conductor', operations: apiOps },
      { id: 'nova-novncproxy', daemon: 'nova-novncproxy', agent: 'ocf:openstack:nova-novnc', params: { config: '/etc/nova/nova.conf', user: 'nova' }, operations: apiOps },
    ],
    after: ['mysql', 'rabbitmq', 'keystone'],
  },
  {
    key: 'cinder',
    name: 'cinder',
    summary: 'Cinder block storage: api, scheduler, volume (RBD backend)',
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      { id: 'cinder-api', daemon: 'cinder-api', agent: 'ocf:openstack:cinder-api', params: { config: '/etc/cinder/cinder.conf', user: 'cinder' }, operations: apiOps },
      { id: 'cinder-scheduler', daemon: 'cinder-scheduler', agent: 'ocf:openstack:cinder-schedule', params: { config: '/etc/cinder/cinder.conf', user: 'cinder' }, operations: apiOps },
      { id: 'cinder-volume', daemon: 'cinder-volume', agent: 'ocf:openstack:cinder-volume', params: { config: '/etc/cinder/cinder.conf', user: 'cinder' }, operations: apiOps },
    ],
    after: ['mysql', 'rabbitmq', 'keystone'],
  },
  {
    key: 'quantum-server',
    name: { since: { grizzly: 'quantum-server', havana: 'neutron-server' } },
    summary: 'OpenStack Networking API server',
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      {
        id: { since: { grizzly: 'quantum-server', havana: 'neutron-server' } },
        daemon: { since: { grizzly: 'quantum-server', havana: 'neutron-server' } },
        agent: { since: { grizzly: 'ocf:openstack:quantum-server', havana: 'ocf:openstack:neutron-server' } },
        params: {
          since: {
            grizzly: { config: '/etc/quantum/quantum.conf', plugin_config: '/etc/quantum/plugins/openvswitch/ovs_quantum_plugin.ini', user: 'quantum' },
            havana: { config: '/etc/neutron/neutron.conf', plugin_config: '/etc/neutron/plugins/openvswitch/ovs_neutron_plugin.ini', user: 'neutron' },
          },
        },
        operations: apiOps,
      },
    ],
    after: ['mysql', 'rabbitmq', 'keystone'],
  },
  {
    key: 'horizon',
    name: 'horizon',
    summary: 'Horizon dashboard under Apache',
    modes: ['active-passive', 'active-active'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      {
        id: 'horizon',
        daemon: 'apache2',
        agent: 'ocf:heartbeat:apache',
        params: { configfile: '/etc/apache2/apache2.conf' },
        operations: [
          { name: 'start', timeout: '40s' },
          { name: 'stop', timeout: '60s' },
          { name: 'monitor', interval: '30s', timeout: '20s' },
        ],
      },
    ],
    after: ['keystone'],
  },
  {
    key: 'quantum-openvswitch-agent',
    name: { since: { grizzly: 'quantum-openvswitch-agent', havana: 'neutron-openvswitch-agent' } },
    summary: 'Open vSwitch plugin agent, on every network node',
    modes: ['active-active'],
    defaultMode: 'active-active',
    roles: ['network'],
    // No OpenStack resource agent exists for the OVS agent; its init script is the resource.
    processes: [
      {
        id: { since: { grizzly: 'quantum-openvswitch-agent', havana: 'neutron-openvswitch-agent' } },
        daemon: { since: { grizzly: 'quantum-openvswitch-agent', havana: 'neutron-openvswitch-agent' } },
        agent: { since: { grizzly: 'lsb:quantum-plugin-openvswitch-agent', havana: 'lsb:neutron-plugin-openvswitch-agent' } },
        operations: apiOps,
      },
    ],
    after: [],
  },
  {
    key: 'quantum-dhcp-agent',
    name: { since: { grizzly: 'quantum-dhcp-agent', havana: 'neutron-dhcp-agent' } },
    summary: 'DHCP agent (dnsmasq per network)',
    modes: ['active-active', 'active-passive'],
    defaultMode: 'active-active',
    roles: ['network'],
    processes: [
      {
        id: { since: { grizzly: 'quantum-dhcp-agent', havana: 'neutron-dhcp-agent' } },
        daemon: { since: { grizzly: 'quantum-dhcp-agent', havana: 'neutron-dhcp-agent' } },
        agent: { since: { grizzly: 'ocf:openstack:quantum-agent-dhcp', havana: 'ocf:openstack:neutron-agent-dhcp' } },
        params: {
          since: {
            grizzly: { config: '/etc/quantum/quantum.conf', plugin_config: '/etc/quantum/dhcp_agent.ini', user: 'quantum' },
            havana: { config: '/etc/neutron/neutron.conf', plugin_config: '/etc/neutron/dhcp_agent.ini', user: 'neutron' },
          },
        },
        operations: apiOps,
      },
    ],
    after: ['quantum-openvswitch-agent'],
  },
  {
    key: 'quantum-l3-agent',
    name: { since: { grizzly: 'quantum-l3-agent', havana: 'neutron-l3-agent' } },
    summary: 'L3 agent (routers, floating IPs)',
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['network'],
    processes: [
      {
        id: { since: { grizzly: 'quantum-l3-agent', havana: 'neutron-l3-agent' } },
        daemon: { since: { grizzly: 'quantum-l3-agent', havana: 'neutron-l3-agent' } },
        agent: { since: { grizzly: 'ocf:openstack:quantum-agent-l3', havana: 'ocf:openstack:neutron-agent-l3' } },
        params: {
          since: {
            grizzly: { config: '/etc/quantum/quantum.conf', plugin_config: '/etc/quantum/l3_agent.ini', user: 'quantum' },
            havana: { config: '/etc/neutron/neutron.conf', plugin_config: '/etc/neutron/l3_agent.ini', user: 'neutron' },
          },
        },
        operations: apiOps,
      },
    ],
    after: ['quantum-openvswitch-agent'],
  },
  {
    key: 'quantum-metadata-agent',
    name: { since: { grizzly: 'quantum-metadata-agent', havana: 'neutron-metadata-agent' } },
    summary: 'Metadata agent (proxies instance metadata requests to nova-api)',
    modes: ['active-active', 'active-passive'],
    defaultMode: 'active-active',
    roles: ['network'],
    processes: [
      {
        id: { since: { grizzly: 'quantum-metadata-agent', havana: 'neutron-metadata-agent' } },
        daemon: { since: { grizzly: 'quantum-metadata-agent', havana: 'neutron-metadata-agent' } },
        agent: { since: { grizzly: 'ocf:openstack:quantum-metadata-agent', havana: 'ocf:openstack:neutron-metadata-agent' } },
        params: {
          since: {
            grizzly: { config: '/etc/quantum/quantum.conf', agent_config: '/etc/quantum/metadata_agent.ini', user: 'quantum' },
            havana: { config: '/etc/neutron/neutron.conf', agent_config: '/etc/neutron/metadata_agent.ini', user: 'neutron' },
          },
        },
        operations: apiOps,
      },
    ],
    after: [],
  },
];
