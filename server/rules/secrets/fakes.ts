/**
 * Fake credentials for samples and tests. They follow each provider's format exactly (so the rules must find
 * them) but are generated from a fixed seed, so they are random-looking yet reproducible and belong to no one.
 * Generating them also keeps real-looking secrets out of the source, where other scanners would flag them.
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '_-';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';

/** A deterministic pseudo-random string of `n` characters from `alphabet`, seeded by `seed` (mulberry32). */
export function fake(seed: string, n: number, alphabet = ALNUM): string {
  let h = 1779033703;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
  let a = h >>> 0;
  let out = '';
  while (out.length < n) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out += alphabet[Math.floor(r * alphabet.length)];
  }
  return out;
}

/** A fake JWT whose header and payload are real base64url JSON. */
function fakeJwt(seed: string, payload: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(payload)}.${fake(seed, 43, B64URL)}`;
}

/** One well-formed fake token per provider rule id. */
export const FAKE: Record<string, string> = {
  'secret-aws-access-key-id': 'AKIA' + fake('aws-id', 16, UPPER32),
  'secret-aws-secret-access-key': fake('aws-secret', 40, B64),
  'secret-azure-storage-account-key': fake('azure', 86, B64) + '==',
  'secret-azure-sas-token': `sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=${fake('sas', 43, ALNUM)}%3D`,
  'secret-gcp-api-key': 'AIza' + fake('gcp', 35, B64URL),
  'secret-gcp-oauth-client-secret': 'GOCSPX-' + fake('gocspx', 28, B64URL),
  'secret-digitalocean-token': 'dop_v1_' + fake('do', 64, HEX),
  'secret-heroku-api-key': 'HRKU-AA' + fake('heroku', 58, B64URL),
  'secret-cloudflare-api-token': fake('cf', 40, B64URL),
  'secret-vercel-token': fake('vercel', 24, ALNUM),
  'secret-netlify-token': 'nfp_' + fake('netlify', 40, ALNUM),
  'secret-github-pat': 'ghp_' + fake('ghp', 36),
  'secret-github-fine-grained-pat': `github_pat_${fake('ghfg1', 22)}_${fake('ghfg2', 59)}`,
  'secret-github-app-token': 'ghs_' + fake('ghs', 36),
  'secret-github-oauth-token': 'gho_' + fake('gho', 36),
  'secret-github-refresh-token': 'ghr_' + fake('ghr', 76),
  'secret-gitlab-pat': 'glpat-' + fake('glpat', 20, B64URL),
  'secret-gitlab-token': 'glrt-' + fake('glrt', 20, ALNUM),
  'secret-npm-token': 'npm_' + fake('npm', 36),
  'secret-pypi-token': 'pypi-AgEIcHlwaS5vcmc' + fake('pypi', 70, B64URL),
  'secret-docker-hub-pat': 'dckr_pat_' + fake('docker', 27, ALNUM),
  'secret-atlassian-api-token': 'ATATT3xFfGF0' + fake('atl', 170, ALNUM) + '=' + fake('atl2', 8, HEX.toUpperCase()),
  'secret-postman-api-key': `PMAK-${fake('pm1', 24, HEX)}-${fake('pm2', 34, HEX)}`,
  'secret-slack-bot-token': `xoxb-${fake('sb1', 12, '0123456789')}-${fake('sb2', 13, '0123456789')}-${fake('sb3', 24)}`,
  'secret-slack-user-token': `xoxp-${fake('su1', 12, '0123456789')}-${fake('su2', 12, '0123456789')}-${fake('su3', 13, '0123456789')}-${fake('su4', 32, HEX)}`,
  'secret-slack-app-token': `xapp-1-A${fake('sa1', 10, '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ')}-${fake('sa2', 13, '0123456789')}-${fake('sa3', 64, HEX)}`,
  'secret-slack-legacy-token': `xoxr-${fake('sl1', 12, '0123456789')}-${fake('sl2', 40)}`,
  'secret-slack-webhook-url': `https://hooks.slack.com/services/T${fake('sw1', 10, UPPER32)}/B${fake('sw2', 10, UPPER32)}/${fake('sw3', 24)}`,
  'secret-discord-webhook-url': `https://discord.com/api/webhooks/${fake('dw1', 19, '0123456789')}/${fake('dw2', 68, B64URL)}`,
  'secret-discord-bot-token': `MT${fake('db1', 22, ALNUM)}.${fake('db2', 6, B64URL)}.${fake('db3', 38, B64URL)}`,
  'secret-telegram-bot-token': `${fake('tg1', 10, '0123456789')}:AA${fake('tg2', 33, B64URL)}`,
  'secret-sendgrid-api-key': `SG.${fake('sg1', 22, B64URL)}.${fake('sg2', 43, B64URL)}`,
  'secret-mailgun-api-key': 'key-' + fake('mailgun', 32, HEX),
  'secret-mailchimp-api-key': fake('mailchimp', 32, HEX) + '-us21',
  'secret-twilio-auth-token': fake('twilio', 32, HEX),
  'secret-stripe-live-secret-key': 'sk_live_' + fake('stripe', 99),
  'secret-stripe-restricted-key': 'rk_live_' + fake('stripe-rk', 99),
  'secret-square-token': 'EAAA' + fake('square', 60, B64URL),
  'secret-braintree-access-token': `access_token$production$${fake('bt1', 16, HEX)}$${fake('bt2', 32, HEX)}`,
  'secret-shopify-access-token': 'shpat_' + fake('shpat', 32, HEX),
  'secret-shopify-shared-secret': 'shpss_' + fake('shpss', 32, HEX),
  'secret-openai-api-key': `sk-proj-${fake('oai1', 74, B64URL)}T3BlbkFJ${fake('oai2', 74, B64URL)}`,
  'secret-anthropic-api-key': `sk-ant-api03-${fake('ant', 93, B64URL)}AA`,
  'secret-anthropic-admin-key': `sk-ant-admin01-${fake('antadm', 93, B64URL)}AA`,
  'secret-huggingface-token': 'hf_' + fake('hf', 34, LETTERS),
  'secret-groq-api-key': 'gsk_' + fake('groq', 52),
  'secret-replicate-api-token': 'r8_' + fake('r8', 37),
  'secret-perplexity-api-key': 'pplx-' + fake('pplx', 48),
  'secret-cohere-api-key': fake('cohere', 40),
  'secret-linear-api-key': 'lin_api_' + fake('linear', 40),
  'secret-notion-token': 'ntn_' + fake('notion', 46),
  'secret-airtable-pat': `pat${fake('at1', 14)}.${fake('at2', 64, HEX)}`,
  'secret-figma-pat': 'figd_' + fake('figma', 40, B64URL),
  'secret-sentry-auth-token': 'sntryu_' + fake('sentry', 64, HEX),
  'secret-sentry-dsn': `https://${fake('dsn', 32, HEX)}@o${fake('dsn2', 6, '0123456789')}.ingest.us.sentry.io/${fake('dsn3', 7, '0123456789')}`,
  'secret-new-relic-user-key': 'NRAK-' + fake('nr', 27, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
  'secret-databricks-token': 'dapi' + fake('dbx', 32, HEX),
  'secret-supabase-access-token': 'sbp_' + fake('sbp', 40, HEX),
  'secret-supabase-service-role-key': fakeJwt('supa', {
    iss: 'supabase',
    ref: fake('ref', 20, 'abcdefghijklmnopqrstuvwxyz'),
    role: 'service_role',
    iat: 1700000000,
    exp: 2015000000,
  }),
  'secret-okta-api-token': '00' + fake('okta', 40, B64URL),
  'secret-firebase-fcm-server-key': `AAAA${fake('fcm1', 7, B64URL)}:APA91b${fake('fcm2', 134, B64URL)}`,
  'secret-mapbox-secret-token': `sk.eyJ1Ijoi${fake('mb1', 40, B64URL)}.${fake('mb2', 22, B64URL)}`,
  'secret-jwt': fakeJwt('jwt', { sub: 'mcp-server', scope: 'tools:call', iat: 1700000000 }),
  'secret-pulumi-access-token': 'pul-' + fake('pulumi', 40, HEX),
  'secret-terraform-cloud-token': `${fake('tfc1', 14)}.atlasv1.${fake('tfc2', 67, B64URL)}`,
  'secret-doppler-token': 'dp.pt.' + fake('doppler', 43),
  'secret-tailscale-key': `tskey-auth-k${fake('ts1', 10)}CNTRL-${fake('ts2', 32)}`,
  'secret-1password-service-account-token':
    'ops_' +
    fakeJwt('op', {
      signInAddress: 'my.1password.com',
      email: fake('ope', 12, 'abcdefghijklmnopqrstuvwxyz') + '@1passwordserviceaccounts.com',
    })
      .replace(/\./g, '')
      .slice(0, 300),
  'secret-age-secret-key': 'AGE-SECRET-KEY-1' + fake('age', 58, BECH32),
};

/** A fake PEM body: `lines` lines of 64 base64 characters. */
export function fakePemBody(seed: string, lines = 4, eol = '\n'): string {
  return Array.from({ length: lines }, (_, i) => fake(seed + i, 64, B64)).join(eol);
}
