// Bearer-token checking. Both sides are hashed before the comparison so that `timingSafeEqual` compares buffers of
// one length: neither the token's bytes nor its length leak through the time a refusal takes.
import { createHash, timingSafeEqual } from 'node:crypto';

/** A check of `Authorization` headers against one token. */
export type TokenCheck = (header: string | undefined) => boolean;

/** Builds the check for `token`; without a token (loopback only) every request passes. */
export function bearerCheck(token: string | undefined): TokenCheck {
  if (token === undefined) return () => true;
  const want = createHash('sha256').update(token).digest();
  return (header) => {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
    const got = createHash('sha256')
      .update(m ? m[1]! : '')
      .digest();
    // Always compare, even for a missing header, so that every refusal costs the same.
    return timingSafeEqual(want, got) && !!m;
  };
}
