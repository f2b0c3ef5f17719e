/**
 * Committed key files: `id_rsa`, `*.pem`, `*.key`, PuTTY `*.ppk`, PKCS#12 stores (`*.p12`, `*.pfx`) and Google
 * service-account JSON files. The private key rules report a key by its armoured block wherever it sits, but only
 * when the body could be a key; this rule reports the FILE, because a key file in the repository is the finding
 * whatever its body says: the path is not ignored, so the next `git add` commits the real key there, and a
 * binary store cannot be read at all to tell. When a private key rule already reports the block, this rule says
 * nothing, so one key gives one finding.
 *
 * Severity: high for a binary key store or a PuTTY key (key material that cannot be judged), medium for a key file
 * whose body is a visible placeholder. In test and fixture folders each is one step lower, and still reported:
 * suites commit throwaway keys for local TLS servers on purpose, but nothing except the author's word tells a
 * throwaway key from a real one, and the file ships wherever the folder is copied (packages, images).
 */
import type { Severity } from '../../../shared/types';
import { isKeyFileName } from '../../core/fileKinds';
import { roleOfPath } from '../../core/fileRole';
import { defineRule, type DetectContext, type RawFinding } from '../../core/rule';
import { privateKeyBlocks } from './rules';
import { keyFileSamples } from './keyFileSamples';

const LOWER: Record<Severity, Severity> = {
  critical: 'high',
  high: 'medium',
  medium: 'low',
  low: 'low',
  info: 'info',
};

/** The base name of the document's path. */
function baseName(path: string): string {
  return path.replace(/\\/g, '/').split('/').pop() ?? path;
}

/** A finding at [start, end) with the severity lowered in test and fixture folders. */
function finding(ctx: DetectContext, start: number, end: number, severity: Severity, what: string): RawFinding {
  const inTests = roleOfPath(ctx.path) === 'test';
  return {
    start,
    end,
    severity: inTests ? LOWER[severity] : severity,
    message:
      `${what} is committed to the repository${inTests ? ' (in a test folder: lowered one step, still a key file)' : ''}; ` +
      'a key file in the repository is the finding whatever its body: remove it, ignore the path and load the key at run time',
  };
}

/** True when a private key rule already reports a block overlapping [start, end). */
function reportedAsKey(ctx: DetectContext, start: number, end: number): boolean {
  return privateKeyBlocks(ctx).some((b) => !b.placeholder && b.start < end && start < b.end);
}

const BEGIN_PRIVATE = '-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED |OPENSSH |PGP )?PRIVATE KEY(?: BLOCK)?)-----';

/** A key file found by name: binary stores, PuTTY keys and armoured private keys with a placeholder body. */
function namedKeyFile(ctx: DetectContext): RawFinding[] {
  const name = baseName(ctx.path);
  // Discovery hands a binary file named as a key over as an empty text when its bytes start as DER does.
  if (ctx.text === '') {
    return /\.(?:p12|pfx|key|pem)$/i.test(name)
      ? [finding(ctx, 0, 0, 'high', `Binary key store or DER key '${name}'`)]
      : [];
  }
  const putty = ctx.re('PuTTY-User-Key-File-[0-9]+:').matchAll(ctx.doc)[0];
  if (putty && ctx.text.includes('Private-Lines:')) {
    return [finding(ctx, putty.groups[0]!.start, putty.groups[0]!.end, 'high', `PuTTY private key file '${name}'`)];
  }
  const out: RawFinding[] = [];
  for (const m of ctx.re(BEGIN_PRIVATE).matchAll(ctx.doc)) {
    const whole = m.groups[0]!;
    if (reportedAsKey(ctx, whole.start, whole.end)) continue;
    out.push(
      finding(
        ctx,
        whole.start,
        whole.end,
        'medium',
        `Private key file '${name}' (${m.groups[1]!.text.toLowerCase()} with a placeholder body)`,
      ),
    );
    break;
  }
  return out;
}

/** A Google service-account key file: `"type": "service_account"` and a non-empty `"private_key"`. */
function serviceAccountFile(ctx: DetectContext): RawFinding[] {
  if (
    !ctx.text.includes('service_account') ||
    !ctx.re('"type"[ \\t\\r\\n]*:[ \\t\\r\\n]*"service_account"').test(ctx.text)
  )
    return [];
  const key = ctx.re('"private_key"[ \\t\\r\\n]*:[ \\t\\r\\n]*"(-----BEGIN[^"\\r\\n]{8,})"').matchAll(ctx.doc)[0];
  const value = key?.groups[1];
  if (!value || reportedAsKey(ctx, value.start, value.end)) return [];
  return [
    finding(
      ctx,
      value.start,
      value.end,
      'medium',
      `Google service-account key file '${baseName(ctx.path)}' (its private_key body looks like a placeholder)`,
    ),
  ];
}

/** The key-file rule. */
export const keyFileRule = defineRule({
  id: 'secret-key-file',
  title: 'Private key file committed',
  description:
    'A private key file (id_rsa, *.pem, *.key, *.ppk, a PKCS#12 store or a Google service-account JSON file) is in the repository, where the next commit of the real key at the same path leaks it.',
  category: 'secret',
  severity: 'medium',
  cwe: ['CWE-798', 'CWE-321', 'CWE-538'],
  owasp: ['A07:2021', 'A02:2021'],
  kinds: ['text', 'json'],
  // Decided by the file's name and a few markers; an empty list runs the rule on every text and JSON file, and it
  // returns at once for the rest.
  keywords: [],
  docs:
    '**What it finds.** Files named as private keys (`id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519`, `*.pem`, `*.key`, ' +
    '`*.ppk`, `*.p12`, `*.pfx`) that hold a private key, and Google service-account JSON files (`"type": ' +
    '"service_account"` with a `private_key`). A key whose body could be real is reported by the private key rules ' +
    '(critical); this rule reports what they cannot: binary PKCS#12 stores and DER keys (by name: the file starts as ' +
    'DER does and is not parsed), PuTTY keys, and key files whose body is an obvious placeholder. A key file in the ' +
    'repository is the finding even then: its path is not ignored, so the real key lands there with the next ' +
    '`git add`, and it ships in every package and image built from the folder. Certificates and public keys ' +
    '(`cert.pem`, `id_rsa.pub`) are not reported. High for binary stores and PuTTY keys, medium for a placeholder ' +
    'body; one step lower in test and fixture folders, where suites keep throwaway TLS keys on purpose (still ' +
    'reported: only the author knows that a key is throwaway). Files named as keys but larger than 256 KB are not ' +
    'keys and are skipped unread.\n\n' +
    '**How to fix.** Delete the file from the repository (and from history if the key was ever real), add the ' +
    'pattern to `.gitignore`, and have the server read the key from a path or secret store given at run time. Test ' +
    'suites can generate their throwaway key pair during setup.',
  detect(ctx) {
    if (ctx.kind === 'json') return serviceAccountFile(ctx);
    return isKeyFileName(ctx.path) ? namedKeyFile(ctx) : [];
  },
  ...keyFileSamples,
});
