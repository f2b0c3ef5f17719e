/** Report writers (text, JSON, SARIF, HTML) and shard merging, shared by the CLI and anything else that exports. */
export * from './build';
export * from './html';
export * from './json';
export * from './merge';
export * from './model';
export * from './sarif';
export * from './text';
