# Managed by hactl: this drop-in is replaced by `hactl apply`; local_settings.py stays the
# distribution's. Horizon reads local_settings.d/*.py after it, in name order.

# One Django SECRET_KEY on every Horizon node (installed by apply from a secret): what one node
# signed (messages, password-reset links) the node Horizon moves to still accepts.
with open('/etc/openstack-dashboard/secret_key') as f:
    SECRET_KEY = f.read().strip()

# Sessions and caches in memcached on every controller: any node serving Horizon finds a
# session another one made. A session lives on one memcached (the client hashes its key), so
# losing a controller logs out the users whose sessions it held, and no one else.
CACHES = {
    'default': {
        # pymemcache takes [addr]:port for IPv6 (not python-memcached's inet6: prefix).
        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
        'LOCATION': ['[2001:db8:10::11]:11211', '[2001:db8:10::12]:11211', '[2001:db8:10::13]:11211'],
    },
}
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'

# Keystone at HAProxy's VIP, which any controller can hold.
OPENSTACK_KEYSTONE_URL = 'http://[2001:db8:10::10]:5000/v3'
