export declare const REQUIRED_NODE_MAJOR: number;
export declare const RUNTIME_PACKAGE: string;
export declare function runtimeProblem(): string | undefined;
export declare function assertRuntime(): void;
