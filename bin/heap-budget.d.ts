// Types of heap-budget.js (plain JavaScript so the launcher runs before the Node version check).
export declare const DEFAULT_HEAP_MB: number;
export declare const SEMI_SPACE_MB: number;
export declare function heapBudgetMb(args: string[], env: NodeJS.ProcessEnv, execArgv: string[]): number | undefined;
export declare function runWithHeapBudget(mb: number): void;
export declare function followParent(): void;
