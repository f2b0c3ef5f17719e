/** File discovery shared by the CLI and the language server's workspace scan. */
export * from './decode';
export * from './discover';
export * from './read';
export * from './shard';
