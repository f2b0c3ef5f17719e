// Why a package could not be vetted. The error lives in the packages layer, which raises most of them (a name the
// registry does not know, a network failure, an integrity mismatch); server/cli/vet.ts re-exports it as the
// contract's `VetError`, so every caller sees one class whichever layer threw.

/** Why a package could not be vetted. */
export type VetErrorCode = 'not-found' | 'network' | 'offline-miss' | 'integrity' | 'limit' | 'timeout' | 'cancelled';

/** A package that could not be vetted, with a one-line reason fit for a user. */
export class VetError extends Error {
  /** Creates the error. */
  constructor(
    readonly code: VetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VetError';
  }
}
