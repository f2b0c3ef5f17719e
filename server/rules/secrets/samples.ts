/**
 * Samples for the secrets rules. Every provider rule gets two generated samples (a `.env` line that must be found,
 * and the same token glued to other text or replaced by an env reference that must not), plus hand-written
 * samples in real MCP server shapes for the providers people actually hardcode. Over 400 lines because it is
 * sample data, not logic: splitting it would only scatter the samples of one pack.
 */
import type { RuleSample } from '../../core/rule';
import { FAKE, fake, fakePemBody } from './fakes';
import { PROVIDERS, type ProviderSpec } from './providers';
import type { Samples } from './rules';

const T = FAKE;

/** Samples shared by every provider rule, derived from its fake token. */
function generated(spec: ProviderSpec): Samples {
  const tok = T[spec.id]!;
  const positive: RuleSample[] = [{ path: '.env', code: `${spec.envName}=«${tok}»\n` }];
  const negative: RuleSample[] = [
    { path: '.env', code: `${spec.envName}=\${${spec.envName}}\n` },
    { path: 'server.ts', code: `const value = process.env.${spec.envName};\n` },
  ];
  if (spec.name) {
    // Contextual formats: the same value under an unrelated name is just a random string.
    negative.push({ path: 'config.yaml', code: `build_id: ${tok}\n` });
  } else if (!/^https:/.test(tok)) {
    // The token glued inside a longer word is not the token.
    negative.push({ path: 'notes.txt', code: `id=Z9${tok}\n` });
  }
  return { positive, negative };
}

/** Hand-written samples, by rule id. */
const EXTRA: Record<string, Partial<Samples>> = {
  'secret-aws-access-key-id': {
    positive: [
      {
        path: 'src/s3.ts',
        code: `const s3 = new S3Client({ region: "us-east-1", credentials: { accessKeyId: "«${T['secret-aws-access-key-id']}»", secretAccessKey } });\n`,
      },
      {
        path: 'src/s3.ts',
        code: 'const client = new S3Client({ credentials: { accessKeyId: "«AKIAIOSFODNN7EXAMPLE»", secretAccessKey } });\n',
        note: "AWS's documentation example key in code: reported at low, with the reason in the message",
      },
      { path: 'Dockerfile', code: `FROM node:20-slim\nENV AWS_ACCESS_KEY_ID=«${T['secret-aws-access-key-id']}»\n` },
    ],
    negative: [
      {
        path: 'README.md.txt',
        code: 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n',
        note: "AWS's documented example key",
      },
      { path: 'src/s3.ts', code: 'const s3 = new S3Client({ region: process.env.AWS_REGION });\n' },
    ],
  },
  'secret-aws-secret-access-key': {
    positive: [
      {
        path: 'src/s3.ts',
        code: `const creds = { accessKeyId: id, secretAccessKey: "«${T['secret-aws-secret-access-key']}»" };\n`,
      },
      {
        path: 'server.py',
        code: `boto3.client("s3", aws_secret_access_key="«${T['secret-aws-secret-access-key']}»")\n`,
      },
      {
        path: 'seed_data.py',
        code: 'AWS_CREDENTIALS = """[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = «wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY»\n"""\n',
        note: "AWS's documentation example secret in seed data: reported at low, with the reason in the message",
      },
    ],
    negative: [
      { path: 'server.py', code: 'boto3.client("s3", aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])\n' },
      {
        path: 'deploy.yaml',
        code: `commit_sha: ${fake('sha', 40, '0123456789abcdef')}\n`,
        note: 'a 40-character hex value under an unrelated name',
      },
      {
        path: '.env.example',
        code: 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
        note: "AWS's documented example secret in a documentation file: the file doing its job (--verbose says so)",
      },
    ],
  },
  'secret-azure-storage-account-key': {
    positive: [
      {
        path: 'appsettings.json',
        code: `{ "Storage": "DefaultEndpointsProtocol=https;AccountName=mcpfiles;AccountKey=«${T['secret-azure-storage-account-key']}»;EndpointSuffix=core.windows.net" }\n`,
      },
    ],
    negative: [
      {
        path: 'appsettings.json',
        code: '{ "Storage": "DefaultEndpointsProtocol=https;AccountName=mcpfiles;AccountKey=<account-key>;EndpointSuffix=core.windows.net" }\n',
      },
    ],
  },
  'secret-azure-sas-token': {
    positive: [
      {
        path: 'server.ts',
        code: `const url = "https://mcpfiles.blob.core.windows.net/docs?«${T['secret-azure-sas-token']}»";\n`,
      },
    ],
  },
  'secret-gcp-api-key': {
    positive: [{ path: 'server.py', code: `genai.configure(api_key="«${T['secret-gcp-api-key']}»")\n` }],
  },
  'secret-github-pat': {
    positive: [
      { path: 'src/index.ts', code: `const octokit = new Octokit({ auth: "«${T['secret-github-pat']}»" });\n` },
      { path: 'server.py', code: `GITHUB_TOKEN = "«${T['secret-github-pat']}»"\n` },
      { path: 'deploy.yaml', code: `env:\n  - name: GITHUB_TOKEN\n    value: «${T['secret-github-pat']}»\n` },
    ],
    negative: [
      { path: 'src/index.ts', code: 'const octokit = new Octokit({ auth: process.env.GITHUB_TOKEN });\n' },
      {
        path: 'src/index.ts',
        code: 'const TOKEN_ENV = "GITHUB_PERSONAL_ACCESS_TOKEN";\nconst token = process.env[TOKEN_ENV];\n',
      },
      { path: '.env.example', code: 'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n' },
      {
        path: 'src/validate.ts',
        code: 'if (!/^ghp_[A-Za-z0-9]{36}$/.test(token)) throw new Error("not a classic PAT");\n',
      },
    ],
  },
  'secret-gitlab-pat': {
    positive: [
      {
        path: 'test/client.test.js',
        code: `const TOKEN = "«${T['secret-gitlab-pat']}»"; // pasted from the profile page\n`,
      },
    ],
    negative: [
      {
        path: 'test/client.test.js',
        code: 'const MOCK_TOKEN = "glpat-mock-token-ci-runner";\nconst OTHER = "glpat-fakeuser-testcase-0a1b2c3d";\n',
        note: 'hand-made fixtures: the body spells mock/test/fake instead of random characters',
      },
    ],
  },
  'secret-github-fine-grained-pat': {
    positive: [
      {
        path: 'src/index.ts',
        code: `const client = new Octokit({ auth: "«${T['secret-github-fine-grained-pat']}»" });\n`,
      },
    ],
  },
  'secret-slack-bot-token': {
    positive: [{ path: 'src/slack.ts', code: `const slack = new WebClient("«${T['secret-slack-bot-token']}»");\n` }],
    negative: [
      {
        path: 'src/slack.ts',
        code: 'const slack = new WebClient(process.env.SLACK_BOT_TOKEN); // xoxb-… from the app page\n',
      },
    ],
  },
  'secret-stripe-live-secret-key': {
    positive: [{ path: 'server.py', code: `stripe.api_key = "«${T['secret-stripe-live-secret-key']}»"\n` }],
    negative: [
      {
        path: 'server.py',
        code: `stripe.api_key = "sk_test_${fake('stripe-test', 99)}"\n`,
        note: 'test-mode keys cannot move money and are not reported',
      },
    ],
  },
  'secret-stripe-restricted-key': {
    negative: [{ path: '.env', code: `STRIPE_KEY=rk_test_${fake('rk-test', 99)}\n` }],
  },
  'secret-openai-api-key': {
    positive: [
      { path: 'server.py', code: `client = OpenAI(api_key="«${T['secret-openai-api-key']}»")\n` },
      {
        path: 'src/llm.ts',
        code: `const openai = new OpenAI({ apiKey: '«sk-${fake('legacy1', 20)}T3BlbkFJ${fake('legacy2', 20)}»' });\n`,
      },
    ],
    negative: [
      { path: 'server.py', code: 'client = OpenAI(api_key=os.getenv("OPENAI_API_KEY"))\n' },
      { path: 'src/llm.ts', code: 'const apiKey = z.string().startsWith("sk-proj-").describe("OpenAI API key");\n' },
    ],
  },
  'secret-anthropic-api-key': {
    positive: [
      {
        path: 'src/llm.ts',
        code: `const anthropic = new Anthropic({ apiKey: "«${T['secret-anthropic-api-key']}»" });\n`,
      },
    ],
    negative: [
      {
        path: 'src/llm.ts',
        code: 'const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY }); // sk-ant-api03-...\n',
      },
    ],
  },
  'secret-huggingface-token': {
    positive: [{ path: 'server.py', code: `login(token="«${T['secret-huggingface-token']}»")\n` }],
    negative: [{ path: 'server.py', code: 'model = "hf_hub_download_cache_directory_value"\n' }],
  },
  'secret-notion-token': {
    positive: [
      { path: 'src/notion.ts', code: `const notion = new Client({ auth: "«secret_${fake('notion-old', 43)}»" });\n` },
    ],
    negative: [{ path: 'src/notion.ts', code: 'const secret_name = "secret_manager_key";\n' }],
  },
  'secret-supabase-service-role-key': {
    positive: [
      { path: 'src/db.ts', code: `const SUPABASE_SERVICE_ROLE_KEY = "«${T['secret-supabase-service-role-key']}»";\n` },
    ],
    negative: [
      {
        path: 'src/db.ts',
        code: `const SUPABASE_ANON_KEY = "${T['secret-supabase-service-role-key']}";\n`,
        note: 'reported by the JWT rule instead',
      },
    ],
  },
  'secret-jwt': {
    positive: [{ path: 'test.http.txt', code: `Authorization: Bearer «${T['secret-jwt']}»\n` }],
    negative: [
      {
        path: 'src/db.ts',
        code: `const SUPABASE_SERVICE_ROLE_KEY = "${T['secret-supabase-service-role-key']}";\n`,
        note: 'left to the Supabase rule',
      },
      { path: 'src/auth.ts', code: 'const parts = token.split("."); if (!parts[0].startsWith("eyJ")) return;\n' },
    ],
  },
  'secret-twilio-auth-token': {
    positive: [
      {
        path: 'server.py',
        code: `TWILIO_AUTH_TOKEN = "«${T['secret-twilio-auth-token']}»"\nclient = Client(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)\n`,
      },
    ],
  },
  'secret-telegram-bot-token': {
    negative: [{ path: 'notes.txt', code: 'time 12345678:AA is not a token\n' }],
  },
  'secret-mailchimp-api-key': {
    negative: [{ path: 'config.yaml', code: 'region: eu-west-1\nlocale: en-us\n' }],
  },
  'secret-databricks-token': {
    positive: [
      { path: 'server.py', code: `w = WorkspaceClient(host=HOST, token="«${T['secret-databricks-token']}»")\n` },
    ],
  },
  'secret-sentry-dsn': {
    positive: [{ path: 'src/index.ts', code: `Sentry.init({ dsn: "«${T['secret-sentry-dsn']}»" });\n` }],
    negative: [
      {
        path: 'src/index.ts',
        code: 'Sentry.init({ dsn: process.env.SENTRY_DSN, tracesSampleRate: 0.1 }); // see https://docs.sentry.io/\n',
      },
    ],
  },
};

/** Samples of a provider rule: the generated ones plus any hand-written ones. */
export function providerSamples(spec: ProviderSpec): Samples {
  const g = generated(spec);
  const x = EXTRA[spec.id] ?? {};
  return { positive: [...g.positive, ...(x.positive ?? [])], negative: [...g.negative, ...(x.negative ?? [])] };
}

// Every provider in the table must have a fake token, or its samples would silently be empty.
for (const p of PROVIDERS) if (!T[p.id]) throw new Error(`secrets: no fake token for ${p.id}`);

const PEM_RSA = `-----BEGIN RSA PRIVATE KEY-----\n${fakePemBody('rsa')}\n-----END RSA PRIVATE KEY-----`;
const PEM_PKCS8_ESCAPED = `-----BEGIN PRIVATE KEY-----\\n${fakePemBody('pkcs8', 4, '\\n')}\\n-----END PRIVATE KEY-----\\n`;
const PEM_ENCRYPTED = `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${fakePemBody('enc')}\n-----END ENCRYPTED PRIVATE KEY-----`;
const OPENSSH = `-----BEGIN OPENSSH PRIVATE KEY-----\n${fakePemBody('ssh')}\n-----END OPENSSH PRIVATE KEY-----`;
const PGP = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${fakePemBody('pgp')}\n=${fake('crc', 4)}\n-----END PGP PRIVATE KEY BLOCK-----`;

/** Samples of the PEM/PKCS#8 private key rule. */
export const privateKeySamples: Samples = {
  positive: [
    { path: 'certs/server.key.txt', code: `«${PEM_RSA}»\n` },
    { path: 'src/sign.ts', code: `const KEY = \`«${PEM_ENCRYPTED}»\`;\n` },
    {
      path: 'service-account.json',
      code: `{\n  "type": "service_account",\n  "project_id": "mcp-demo",\n  "private_key": "«${PEM_PKCS8_ESCAPED.replace(/\\n$/, '')}»\\n",\n  "client_email": "mcp@mcp-demo.iam.gserviceaccount.com"\n}\n`,
    },
  ],
  negative: [
    {
      path: 'src/sign.ts',
      code: 'if (pem.startsWith("-----BEGIN PRIVATE KEY-----")) return importPKCS8(pem, "RS256");\n',
    },
    { path: 'docs.txt', code: '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n' },
    {
      path: 'certs/server.pub.txt',
      code: `-----BEGIN PUBLIC KEY-----\n${fakePemBody('pub')}\n-----END PUBLIC KEY-----\n`,
    },
    { path: 'id.txt', code: `${OPENSSH}\n`, note: 'OpenSSH keys have their own rule' },
  ],
};

/** Samples of the OpenSSH private key rule. */
export const opensshSamples: Samples = {
  positive: [{ path: 'deploy/id_ed25519.txt', code: `«${OPENSSH}»\n` }],
  negative: [
    { path: 'README.txt', code: 'Paste your key (-----BEGIN OPENSSH PRIVATE KEY----- ...) into the SSH_KEY secret.\n' },
    { path: 'certs/server.key.txt', code: `${PEM_RSA}\n` },
  ],
};

/** Samples of the PGP private key rule. */
export const pgpSamples: Samples = {
  positive: [{ path: 'keys/signing.asc.txt', code: `«${PGP}»\n` }],
  negative: [
    {
      path: 'keys/public.txt',
      code: `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${fakePemBody('pgppub')}\n-----END PGP PUBLIC KEY BLOCK-----\n`,
    },
  ],
};

const DBPW = fake('dbpw', 18);

/** Samples of the database URL rule. */
export const databaseUrlSamples: Samples = {
  positive: [
    {
      path: 'src/db.ts',
      code: `const pool = new Pool({ connectionString: "postgresql://mcp_app:«${DBPW}»@db.prod.internal:5432/mcp" });\n`,
    },
    {
      path: '.env',
      code: `MONGO_URL=mongodb+srv://svc:«${fake('mongo', 16)}»@cluster0.ab1cd.mongodb.net/app?retryWrites=true\n`,
    },
    {
      path: 'docker-compose.yaml',
      code: `services:\n  worker:\n    environment:\n      REDIS_URL: rediss://default:«${fake('redis', 24)}»@cache.internal:6380/0\n      AMQP_URL: amqps://bot:«${fake('amqp', 12)}»@mq.internal/vhost\n`,
    },
    { path: 'server.py', code: `engine = create_engine("mysql://reporter:«${fake('mysql', 14)}»@10.0.0.5/reports")\n` },
  ],
  negative: [
    { path: 'src/db.ts', code: 'const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n' },
    {
      path: '.env.example',
      code: 'DATABASE_URL=postgres://user:${DB_PASSWORD}@localhost:5432/app\nREDIS_URL=redis://:<password>@localhost:6379\n',
    },
    {
      path: 'docker-compose.yaml',
      code: 'environment:\n  DATABASE_URL: postgres://postgres:postgres@db:5432/postgres\n  AMQP_URL: amqp://guest:guest@rabbitmq:5672/\n',
    },
    { path: 'src/db.ts', code: 'const url = `postgresql://${user}:${password}@${host}/${db}`;\n' },
    {
      path: 'README.txt',
      code: 'Connect with postgresql://localhost:5432/app (no password) or mongodb://mongo:27017/app.\n',
    },
  ],
};

const GEN = fake('generic', 32);

/** Samples of the generic assignment rule; the negatives are the idioms of real MCP servers. */
export const genericSamples: Samples = {
  positive: [
    { path: 'src/index.ts', code: `const apiKey = "«${GEN}»";\nconst client = new WeatherClient({ apiKey });\n` },
    {
      path: 'src/index.ts',
      code: `const client = new WeatherClient({ baseUrl: "https://api.example.org", clientSecret: '«${fake('cs', 24)}»' });\n`,
    },
    {
      path: 'server.py',
      code: `API_TOKEN = "«${fake('py', 40, '0123456789abcdef')}»"\nclient = Weather(api_key="«${fake('kw', 28)}»")\n`,
    },
    { path: '.env', code: `# local\nDB_PASSWORD=«Vt8%qLm2!zRp»\nexport SERVICE_API_KEY=«${fake('envkey', 32)}»\n` },
    { path: 'config.yaml', code: `weather:\n  api_key: «${fake('yaml', 30)}»\n  timeout: 30\n` },
    { path: 'settings.toml.txt', code: `[auth]\nclient_secret = "«${fake('toml', 36)}»"\n` },
    { path: 'config.json', code: `{ "weather": { "x-api-key": "«${fake('json', 32)}»" } }\n` },
    { path: 'Dockerfile', code: `FROM python:3.12-slim\nENV WEATHER_API_KEY=«${fake('docker', 32)}»\n` },
    { path: 'src/http.ts', code: `const headers = { Authorization: "Bearer «${fake('bearer', 40)}»" };\n` },
    {
      path: '.env',
      code: 'DB_PASSWORD=«horse-battery-staple-42»\nAPI_TOKEN=«k3Fq-9vXw-T2pL-88aZ»\n',
      note: 'a person-chosen password may be words and a number; a token with random groups is still a token',
    },
    {
      path: 'src/client.ts',
      code: `/**\n * Creates a client.\n * @param apiKey the key\n */\nexport function create() {}\nconst apiKey = "«${GEN}»";\n/** @example new Client({ apiKey: "x" }) */\nexport class Client {}\n`,
      note: 'the @example filter covers the doc comment it is in, not the code after it',
    },
  ],
  negative: [
    {
      path: 'src/index.ts',
      code: 'const token = process.env.GITHUB_TOKEN;\nconst apiKey = process.env["WEATHER_API_KEY"] ?? "";\n',
    },
    {
      path: 'src/client.ts',
      code: `/**\n * Creates a client.\n * @example\n * const c = new Client({ apiKey: "${GEN}" });\n */\nexport class Client {}\nconst sample = { apiKey: "sk-proj-a8F3kQ9zLm2..." };\n`,
      note: 'a doc comment @example and a value truncated for display are documentation',
    },
    {
      path: 'dist/client.d.ts',
      code: `export declare const DEFAULT_OPTIONS: { apiKey: "${GEN}" };\n`,
      note: 'declaration files hold types and doc examples, never values that run',
    },
    {
      path: 'src/generated/api.ts',
      code: `/* tslint:disable */\n/**\n * Weather API\n * NOTE: This class is auto generated by OpenAPI Generator (https://openapi-generator.tech).\n */\nexport const example = { accessToken: "${GEN}" };\n`,
      note: "an OpenAPI-generated client copies the API description's example tokens",
    },
    {
      path: 'src/index.ts',
      code: 'server.tool("search", { apiKey: z.string().describe("API key"), query: z.string() }, handler);\n',
    },
    { path: 'src/types.ts', code: 'interface Login { username: string; password: string; token?: string }\n' },
    {
      path: 'src/index.ts',
      code: 'const token = request.params.token;\nconst headers = { Authorization: `Bearer ${token}` };\n',
    },
    {
      path: 'src/index.ts',
      code: 'const TOKEN_ENV = "GITHUB_PERSONAL_ACCESS_TOKEN";\nconst API_KEY_HEADER = "x-api-key";\n',
    },
    {
      path: 'src/i18n.ts',
      code: 'export const en = { passwordLabel: "Password", tokenHint: "Paste your token here", password: "Enter a password" };\n',
    },
    {
      path: 'server.py',
      code: 'api_key = os.environ["WEATHER_API_KEY"]\ntoken = os.getenv("GITHUB_TOKEN")\npassword: str = Field(description="The password")\n',
    },
    {
      path: '.env.example',
      code: 'WEATHER_API_KEY=YOUR_API_KEY_HERE\nGITHUB_TOKEN=<token>\nDB_PASSWORD=changeme\nSECRET_KEY=${SECRET_KEY}\nAPI_TOKEN=xxxxxxxxxxxxxxxx\n',
    },
    {
      path: 'config.yaml',
      code: 'auth:\n  token: ${{ secrets.API_TOKEN }}\n  password_file: /run/secrets/db_password\n  token_url: https://auth.example.org/oauth/token\n  api_key: "{{ weather_api_key }}"\n',
    },
    {
      path: 'src/index.ts',
      code: 'const config = { apiKey: "${input:weather-key}", secret: "${env:WEATHER_SECRET}", max_tokens: "4096" };\n',
    },
    {
      path: 'src/test/fixtures.ts',
      code: 'const apiKey = "test-api-key-for-unit-tests";\nconst password = "dummy-password-123";\nconst token = "sample_token_value_abc";\n',
    },
    {
      path: 'src/index.ts',
      code: 'const secretKey = "auth.token.missing";\nconst authToken = "Authorization";\nconst passwordPolicy = "min8-upper-digit";\n',
    },
    {
      path: 'src/index.ts',
      code: `const octokit = new Octokit({ auth: "${T['secret-github-pat']}" });\n`,
      note: 'reported by the GitHub rule, not twice',
    },
    { path: 'server.py', code: 'if password == "hunter2":\n    pass\n' },
    {
      path: 'test/auth.test.js',
      code: 'const MOCK_TOKEN = "svc-mock-token-4821";\nconst VALID_TOKEN = "stream-session-token-77";\nstubFetch({ access_token: "gl-access-123" });\n',
      note: 'tokens are issued by a service and never read as words and a counter; these were typed by a test author',
    },
    {
      path: 'test/list.test.js',
      code: 'const args = { per_page: 20, page_token: "eyJvZmZzZXQiOjIwfQ", nextPageToken: "Q2hBSUFCSWdBQQ" };\n',
      note: 'pagination cursors, not credentials',
    },
    {
      path: 'test/oauth.test.js',
      code: 'const MOCK_PAT_TOKEN = "glpat-fakeuser-testcase-0a1b2c3d";\n',
      note: 'a GitLab-shaped fixture the GitLab rule dismisses is not picked up here instead',
    },
    {
      path: 'test/archive.test.js',
      code: 'const CANARY_SECRET = "OUTSIDE-WORKSPACE-CANARY";\nconst TOKEN = "tok+en/with?special=chars&more";\n',
      note: 'words in one case joined by punctuation',
    },
  ],
};
