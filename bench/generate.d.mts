/** Types of bench/generate.mjs (for the tests, which are TypeScript). */
export declare const SIZES: { S: number; M: number; L: number };
export interface Shape {
  controllers: number;
  network: number;
  storage: number;
  compute: number;
  monitors: number;
  osdsPerNode: number;
}
export declare function shape(total: number): Shape;
export declare function generate(total: number, name?: string): string;
export declare function nodesFor(size: string | number): number;
