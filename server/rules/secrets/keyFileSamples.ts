/**
 * Samples of the key-file rule: key files by name with placeholder bodies, binary stores, PuTTY keys and Google
 * service-account files, and the look-alikes that must stay quiet (certificates, public keys, a real-looking key
 * that the private key rules report instead, a service-account template without a key).
 */
import type { Samples } from './rules';

// A real-looking PKCS#8 body is left to secret-private-key; this one is generated noise of the right alphabet.
const BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4';

/** Samples of `secret-key-file`. */
export const keyFileSamples: Samples = {
  positive: [
    {
      path: 'deploy/id_rsa',
      code: '«-----BEGIN RSA PRIVATE KEY-----»\nFAKE-KEY-FOR-DOCS\n-----END RSA PRIVATE KEY-----\n',
      note: 'an OpenSSH identity file with an obviously fake body: the path is where the real key will be committed',
    },
    {
      path: 'certs/server.key',
      code: '«-----BEGIN PRIVATE KEY-----»\n...\n-----END PRIVATE KEY-----\n',
    },
    {
      path: 'certs/client.p12',
      code: '«»',
      note: 'a binary PKCS#12 store: discovery hands it over as an empty text, reported by name',
    },
    {
      path: 'keys/deploy.ppk',
      code: '«PuTTY-User-Key-File-3:» ssh-ed25519\nEncryption: none\nPublic-Lines: 2\nAAAA\nPrivate-Lines: 1\nAAAA\n',
    },
    {
      path: 'gcp/service-account.json',
      code: '{\n  "type": "service_account",\n  "project_id": "mcp-demo",\n  "private_key": "«-----BEGIN PRIVATE KEY-----\\nREPLACE_ME\\n-----END PRIVATE KEY-----\\n»",\n  "client_email": "mcp@mcp-demo.iam.gserviceaccount.com"\n}\n',
      note: 'a service-account key file with a placeholder key',
    },
    {
      path: 'test/fixtures/tls/localhost.key',
      code: '«-----BEGIN EC PRIVATE KEY-----»\nPLACEHOLDER\n-----END EC PRIVATE KEY-----\n',
      note: 'in a test folder: reported one step lower (low)',
    },
  ],
  negative: [
    {
      path: 'certs/cert.pem',
      code: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\n',
      note: 'a certificate is public',
    },
    {
      path: 'keys/id_rsa.pub',
      code: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 deploy@ci\n',
      note: 'a public key, and not a key-file name',
    },
    {
      path: 'certs/server.key',
      code: `-----BEGIN PRIVATE KEY-----\n${BODY}\n${BODY}\n-----END PRIVATE KEY-----\n`,
      note: 'a real-looking key: secret-private-key reports it (critical), so this rule stays quiet',
    },
    {
      path: 'gcp/service-account.template.json',
      code: '{ "type": "service_account", "project_id": "${PROJECT}", "private_key": "${GCP_PRIVATE_KEY}" }\n',
      note: 'a template that reads the key from the environment',
    },
    {
      path: 'docs/setup.txt',
      code: 'Put your key in ~/.ssh/id_rsa:\n-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n',
      note: 'not a key file by name: text that explains where a key goes',
    },
  ],
};
