/** Types of bench/filesystem.mjs (for the tests, which are TypeScript). */
export interface Filesystem {
  kind: 'tmpfs' | 'ext4' | 'other';
  device?: string;
  journal?: boolean;
}
export declare function filesystemOf(dir: string): Filesystem;
