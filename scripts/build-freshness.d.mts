/** Types of scripts/build-freshness.mjs (plain JS: `npm start` runs it before anything is built). */
export declare function isSource(name: string): boolean;
export declare function newestSource(dirs: readonly string[]): { file: string; mtimeMs: number } | undefined;
export declare function staleReason(output: string, dirs: readonly string[]): string | undefined;
