import type { Rule } from '../../core/rule';
import { secretComparedNonConstantTime } from './compare';
import { weakHashForSecret } from './hash';
import { jwtVerificationDisabled } from './jwt';
import { hardcodedCryptoKey } from './keys';
import { insecureRandomForSecret } from './random';

/** The weak-cryptography rule pack (JS/TS and Python). */
export const cryptoRules: Rule[] = [
  weakHashForSecret,
  insecureRandomForSecret,
  jwtVerificationDisabled,
  hardcodedCryptoKey,
  secretComparedNonConstantTime,
];
