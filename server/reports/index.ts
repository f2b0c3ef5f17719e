/** Report writers (text, JSON, SARIF, HTML) and shard merging, shared by the CLI and anything else that exports. */
export * from './build';
export * from './escape';
export * from './excerpt';
export * from './flow';
export * from './html';
export * from './json';
export * from './merge';
export * from './model';
export * from './redact';
export * from './sarif';
export * from './text';
export * from './validate';
export * from './stream';
export * from './spool';
