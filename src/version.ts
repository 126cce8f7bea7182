/** hactl's version (package.json's): `--version`, and what a saved plan records of its maker. */
export const HACTL_VERSION = '0.1.0';
