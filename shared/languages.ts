import type { FileKind } from './types';

/** TEMPORARY (replaced by the file-type table): the file kind of a VS Code language id. */
export function kindOfLanguageId(languageId: string): FileKind | undefined {
  switch (languageId) {
    case 'typescript':
    case 'typescriptreact':
    case 'javascript':
    case 'javascriptreact':
      return 'js';
    case 'python':
      return 'python';
    case 'json':
    case 'jsonc':
      return 'json';
    case 'yaml':
      return 'yaml';
    case 'dockerfile':
      return 'dockerfile';
    case 'dotenv':
      return 'dotenv';
    default:
      return undefined;
  }
}
