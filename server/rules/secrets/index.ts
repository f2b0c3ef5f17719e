/**
 * The secrets rule pack: one rule per provider credential format (providers.ts), the armoured private key rules,
 * database URLs with inline passwords, and the generic "secret-looking value in a secret-looking name" rule.
 * MCP client configs are covered by the config pack, which calls identify.ts, so a secret is reported once.
 */
import type { Rule } from '../../core/rule';
import { embeddedCredentialsRule } from './embedded';
import { keyFileRule } from './keyFiles';
import { literalCheckRule } from './literalCheck';
import { PROVIDERS } from './providers';
import { databaseUrlRule, genericRule, privateKeyRule, providerRule } from './rules';
import {
  databaseUrlSamples,
  genericSamples,
  opensshSamples,
  pgpSamples,
  privateKeySamples,
  providerSamples,
} from './samples';

/** The secrets rule pack. */
export const secretsRules: Rule[] = [
  ...PROVIDERS.map((spec) => providerRule(spec, providerSamples(spec))),
  privateKeyRule(
    'secret-private-key',
    'private key',
    (label) => !label.startsWith('OPENSSH') && !label.startsWith('PGP'),
    'A PEM private key: PKCS#1 RSA, SEC1 EC, DSA, PKCS#8 (BEGIN PRIVATE KEY) or encrypted PKCS#8 (reported as high rather than critical, since it also needs its passphrase), including the `private_key` of a Google service-account JSON file.',
    privateKeySamples,
  ),
  privateKeyRule(
    'secret-openssh-private-key',
    'OpenSSH private key',
    (label) => label.startsWith('OPENSSH'),
    'An OpenSSH private key (BEGIN OPENSSH PRIVATE KEY): logs in to every host and Git remote that trusts its public half.',
    opensshSamples,
  ),
  privateKeyRule(
    'secret-pgp-private-key',
    'PGP private key block',
    (label) => label.startsWith('PGP'),
    'An armoured OpenPGP secret key (BEGIN PGP PRIVATE KEY BLOCK): signs releases and commits as its owner and decrypts what was encrypted to them.',
    pgpSamples,
  ),
  databaseUrlRule(databaseUrlSamples),
  genericRule(genericSamples),
  keyFileRule,
  literalCheckRule,
  embeddedCredentialsRule,
];
