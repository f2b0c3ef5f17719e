/**
 * The provider token formats, declared once. The file is long on purpose: it is a data table (one entry per
 * provider, about 120 of them), and keeping it whole is what makes every format reviewable in one place.
 *
 * The provider token formats are declared once. The document rules (index.ts) and the whole-value matcher used by the
 * MCP config rules (identify.ts) are both built from this table, so the two can never disagree.
 *
 * Every `token` is regex source in the syntax that RE2 and JS share (no lookaround, no backreferences) and must
 * contain NO capturing group: the builders wrap it in one. Formats follow the providers' documentation (prefixes,
 * exact lengths and alphabets) so that a prefix plus a length check is enough to be confident.
 */
import type { Severity } from '../../../shared/types';
import { nameWords } from './placeholder';

/** One provider credential format. */
export interface ProviderSpec {
  /** Stable rule id, kebab-case, `secret-` prefixed. */
  id: string;
  /** Human name of the credential, used in titles and messages ("GitHub personal access token"). */
  label: string;
  /** Default severity of a finding. */
  severity: Severity;
  /** Regex source of the credential itself, without capturing groups. */
  token: string;
  /** Regex source of the character class that may NOT precede the token (defaults to word characters). */
  left?: string;
  /** Regex source of the character class that may NOT follow the token (defaults to word characters and `-`). */
  right?: string;
  /**
   * For formats with no distinctive prefix (a 40-character AWS secret, a hex Twilio token): the name the value
   * must be assigned to. Receives the lower-cased words of the name (`AWS_SECRET_ACCESS_KEY` → [aws, secret,
   * access, key]). Such rules only match `name = value`, `name: value` and `"name": "value"` shapes.
   */
  name?: (words: string[]) => boolean;
  /** Prefilter literals: every match contains one (the prefix, or for contextual rules the name's provider word). */
  keywords: string[];
  /** Environment variable the fix reads the value from. */
  envName: string;
  /** What this credential is and what it grants, one or two sentences for the docs. */
  about: string;
  /** CWE tags beyond CWE-798. */
  extraCwe?: string[];
  /**
   * Rules that describe the same text more precisely (a Supabase service-role key is also a JWT): a match that
   * overlaps one of theirs is left to them, so one secret is reported once.
   */
  yieldTo?: string[];
}

/** Word-character class that delimits most tokens. */
export const WORD = 'A-Za-z0-9_';

const has =
  (...ws: string[]) =>
  (words: string[]) =>
    ws.some((w) => words.includes(w));

/** The provider table. Order matters only for identifySecret(): the first spec that matches a value wins. */
export const PROVIDERS: readonly ProviderSpec[] = [
  // ---- Cloud providers -------------------------------------------------------------------------------------
  {
    id: 'secret-aws-access-key-id',
    label: 'AWS access key ID',
    severity: 'high',
    token: '(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    envName: 'AWS_ACCESS_KEY_ID',
    about:
      'An AWS access key ID (AKIA… long-term, ASIA… temporary). It is half of an AWS credential pair and almost always sits next to the secret access key.',
  },
  {
    id: 'secret-aws-secret-access-key',
    label: 'AWS secret access key',
    severity: 'critical',
    token: '[A-Za-z0-9/+]{40}',
    right: 'A-Za-z0-9/+=',
    name: (w) =>
      (w.includes('aws') && (w.includes('secret') || w.includes('sk'))) ||
      (w.includes('secret') && w.includes('access') && w.includes('key')),
    keywords: ['aws', 'secretaccesskey', 'secret_access_key'],
    envName: 'AWS_SECRET_ACCESS_KEY',
    about: 'An AWS secret access key: with its key ID it signs any AWS API call the IAM user or role may make.',
  },
  {
    id: 'secret-azure-storage-account-key',
    label: 'Azure storage account key',
    severity: 'critical',
    token: '[A-Za-z0-9+/]{86}==',
    left: WORD + '+/',
    right: WORD + '+/=',
    keywords: ['accountkey', 'account_key', 'storage'],
    name: (w) =>
      w.includes('accountkey') ||
      (w.includes('account') && w.includes('key')) ||
      (w.includes('storage') && w.includes('key')),
    envName: 'AZURE_STORAGE_KEY',
    about:
      'An Azure storage account key (also found as AccountKey= in connection strings): full control of every blob, queue, table and file share in the account.',
  },
  {
    id: 'secret-azure-sas-token',
    label: 'Azure shared access signature',
    severity: 'high',
    token: 'sv=[0-9]{4}-[0-9]{2}-[0-9]{2}&[A-Za-z0-9%&=:._-]{0,300}sig=[A-Za-z0-9%+/]{40,100}',
    left: WORD,
    right: 'A-Za-z0-9%+/=',
    keywords: ['sig='],
    envName: 'AZURE_SAS_TOKEN',
    about:
      'An Azure shared access signature (sv=…&sig=…): a bearer credential for the storage resources and permissions it was signed for, until it expires.',
  },
  {
    id: 'secret-gcp-api-key',
    label: 'Google API key',
    severity: 'high',
    token: 'AIza[0-9A-Za-z_-]{35}',
    keywords: ['AIza'],
    envName: 'GOOGLE_API_KEY',
    about:
      'A Google Cloud / Firebase API key (AIza…): bills and rate-limits against the owning project for every API it is allowed to call.',
  },
  {
    id: 'secret-gcp-oauth-client-secret',
    label: 'Google OAuth client secret',
    severity: 'high',
    token: 'GOCSPX-[A-Za-z0-9_-]{28}',
    keywords: ['GOCSPX-'],
    envName: 'GOOGLE_CLIENT_SECRET',
    about: 'A Google OAuth 2.0 client secret (GOCSPX-…): lets anyone impersonate your OAuth application to Google.',
  },
  {
    id: 'secret-digitalocean-token',
    label: 'DigitalOcean token',
    severity: 'critical',
    token: 'do[opr]_v1_[a-f0-9]{64}',
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    envName: 'DIGITALOCEAN_TOKEN',
    about:
      'A DigitalOcean personal access, OAuth or refresh token (dop_v1_/doo_v1_/dor_v1_): control of droplets, databases and DNS.',
  },
  {
    id: 'secret-heroku-api-key',
    label: 'Heroku API key',
    severity: 'high',
    token: 'HRKU-AA[0-9A-Za-z_-]{58}',
    keywords: ['HRKU-'],
    envName: 'HEROKU_API_KEY',
    about: 'A Heroku platform API key (HRKU-…): deploys, config vars and add-ons of every app the account can reach.',
  },
  {
    id: 'secret-cloudflare-api-token',
    label: 'Cloudflare API token',
    severity: 'high',
    token: '[A-Za-z0-9_-]{40}|[0-9a-f]{37}',
    name: (w) => (w.includes('cloudflare') || w.includes('cf')) && (w.includes('token') || w.includes('key')),
    keywords: ['cloudflare', 'cf_'],
    envName: 'CLOUDFLARE_API_TOKEN',
    about:
      'A Cloudflare API token (40 characters) or global API key (37 hex): DNS, Workers and zone settings of the account.',
  },
  {
    id: 'secret-vercel-token',
    label: 'Vercel token',
    severity: 'high',
    token: '[A-Za-z0-9]{24}',
    name: (w) => w.includes('vercel') && (w.includes('token') || w.includes('key')),
    keywords: ['vercel'],
    envName: 'VERCEL_TOKEN',
    about: 'A Vercel access token: deployments, environment variables and domains of the team.',
  },
  {
    id: 'secret-netlify-token',
    label: 'Netlify token',
    severity: 'high',
    token: '(?:nfp_)?[A-Za-z0-9_-]{40,46}',
    name: (w) => w.includes('netlify') && (w.includes('token') || w.includes('auth')),
    keywords: ['netlify'],
    envName: 'NETLIFY_AUTH_TOKEN',
    about: 'A Netlify personal access token: sites, deploys and environment variables of the account.',
  },
  // ---- Source hosting and package registries -----------------------------------------------------------------
  {
    id: 'secret-github-pat',
    label: 'GitHub personal access token',
    severity: 'high',
    token: 'ghp_[A-Za-z0-9]{36}',
    keywords: ['ghp_'],
    envName: 'GITHUB_TOKEN',
    about:
      'A classic GitHub personal access token (ghp_…): acts as the user on every repository and organisation its scopes allow.',
  },
  {
    id: 'secret-github-fine-grained-pat',
    label: 'GitHub fine-grained personal access token',
    severity: 'high',
    token: 'github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}',
    keywords: ['github_pat_'],
    envName: 'GITHUB_TOKEN',
    about:
      'A fine-grained GitHub personal access token (github_pat_…): acts as the user on the repositories it was granted.',
  },
  {
    id: 'secret-github-app-token',
    label: 'GitHub app token',
    severity: 'high',
    token: 'gh[su]_[A-Za-z0-9]{36}',
    keywords: ['ghs_', 'ghu_'],
    envName: 'GITHUB_TOKEN',
    about:
      "A GitHub App installation (ghs_…) or user-to-server (ghu_…) token: repository access with the app's permissions.",
  },
  {
    id: 'secret-github-oauth-token',
    label: 'GitHub OAuth access token',
    severity: 'high',
    token: 'gho_[A-Za-z0-9]{36}',
    keywords: ['gho_'],
    envName: 'GITHUB_TOKEN',
    about: 'A GitHub OAuth access token (gho_…): acts as the user who authorised the OAuth app.',
  },
  {
    id: 'secret-github-refresh-token',
    label: 'GitHub refresh token',
    severity: 'high',
    token: 'ghr_[A-Za-z0-9]{36,76}',
    keywords: ['ghr_'],
    envName: 'GITHUB_REFRESH_TOKEN',
    about: 'A GitHub refresh token (ghr_…): mints new user-to-server tokens for a GitHub App.',
  },
  {
    id: 'secret-gitlab-pat',
    label: 'GitLab personal access token',
    severity: 'high',
    token: 'glpat-[A-Za-z0-9_-]{20,64}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{9})?',
    keywords: ['glpat-'],
    envName: 'GITLAB_TOKEN',
    about: 'A GitLab personal access token (glpat-…): API, repository and registry access as the user.',
  },
  {
    id: 'secret-gitlab-token',
    label: 'GitLab token',
    severity: 'high',
    token: '(?:gldt|glrt|glsoat|glffct|glcbt|glimt|glagent|gloas|glft)-[A-Za-z0-9_-]{20,64}|glptt-[0-9a-f]{40}',
    keywords: ['gldt-', 'glrt-', 'glsoat-', 'glffct-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-', 'glft-', 'glptt-'],
    envName: 'GITLAB_TOKEN',
    about:
      'A GitLab deploy, runner, pipeline-trigger, OAuth-secret, feed or agent token (gldt-, glrt-, glptt-, gloas-, …).',
  },
  {
    id: 'secret-npm-token',
    label: 'npm access token',
    severity: 'high',
    token: 'npm_[A-Za-z0-9]{36}',
    keywords: ['npm_'],
    envName: 'NPM_TOKEN',
    extraCwe: ['CWE-522'],
    about:
      'An npm access token (npm_…): can publish new versions of every package the user maintains, a supply-chain attack waiting to happen.',
  },
  {
    id: 'secret-pypi-token',
    label: 'PyPI upload token',
    severity: 'high',
    token: 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}',
    keywords: ['pypi-AgEIcHlwaS5vcmc'],
    envName: 'PYPI_TOKEN',
    about: 'A PyPI API token (pypi-AgEIcHlwaS5vcmc…): uploads releases of the projects in its scope.',
  },
  {
    id: 'secret-docker-hub-pat',
    label: 'Docker Hub personal access token',
    severity: 'high',
    token: 'dckr_pat_[A-Za-z0-9_-]{27}',
    keywords: ['dckr_pat_'],
    envName: 'DOCKERHUB_TOKEN',
    about: "A Docker Hub personal access token (dckr_pat_…): pushes images to the user's repositories.",
  },
  {
    id: 'secret-atlassian-api-token',
    label: 'Atlassian API token',
    severity: 'high',
    token: 'ATATT3[A-Za-z0-9_=-]{150,250}',
    right: WORD + '=-',
    keywords: ['ATATT3'],
    envName: 'ATLASSIAN_API_TOKEN',
    about: 'An Atlassian API token (ATATT3…): Jira and Confluence access as the user.',
  },
  {
    id: 'secret-postman-api-key',
    label: 'Postman API key',
    severity: 'high',
    token: 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}',
    keywords: ['PMAK-'],
    envName: 'POSTMAN_API_KEY',
    about: 'A Postman API key (PMAK-…): workspaces, collections and their stored secrets.',
  },
  // ---- Chat, mail and messaging ------------------------------------------------------------------------------
  {
    id: 'secret-slack-bot-token',
    label: 'Slack bot token',
    severity: 'high',
    token: 'xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24}',
    keywords: ['xoxb-'],
    envName: 'SLACK_BOT_TOKEN',
    about: 'A Slack bot token (xoxb-…): reads and posts in every channel the bot is in.',
  },
  {
    id: 'secret-slack-user-token',
    label: 'Slack user token',
    severity: 'high',
    token: 'xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32}',
    keywords: ['xoxp-'],
    envName: 'SLACK_USER_TOKEN',
    about: 'A Slack user token (xoxp-…): acts as the user, including private channels and direct messages.',
  },
  {
    id: 'secret-slack-app-token',
    label: 'Slack app-level token',
    severity: 'high',
    token: 'xapp-[0-9]-[A-Z0-9]{9,11}-[0-9]{10,13}-[a-f0-9]{64}',
    keywords: ['xapp-'],
    envName: 'SLACK_APP_TOKEN',
    about: 'A Slack app-level token (xapp-…): opens Socket Mode connections and reads events for the app.',
  },
  {
    id: 'secret-slack-legacy-token',
    label: 'Slack token',
    severity: 'high',
    token: 'xox[aors]-[0-9]{10,13}-[0-9A-Za-z-]{20,120}',
    keywords: ['xoxa-', 'xoxo-', 'xoxr-', 'xoxs-'],
    envName: 'SLACK_TOKEN',
    about: 'A Slack workspace, refresh or legacy token (xoxa-, xoxr-, xoxs-, xoxo-).',
  },
  {
    id: 'secret-slack-webhook-url',
    label: 'Slack incoming webhook URL',
    severity: 'high',
    token: 'https://hooks\\.slack\\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{23,25}',
    keywords: ['hooks.slack.com/services/'],
    envName: 'SLACK_WEBHOOK_URL',
    about:
      'A Slack incoming webhook URL: anyone holding it can post messages (including convincing phishing) into the channel.',
  },
  {
    id: 'secret-discord-webhook-url',
    label: 'Discord webhook URL',
    severity: 'high',
    token: 'https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,68}',
    keywords: ['/api/webhooks/'],
    envName: 'DISCORD_WEBHOOK_URL',
    about: 'A Discord webhook URL: anyone holding it can post into the channel as the webhook.',
  },
  {
    id: 'secret-discord-bot-token',
    label: 'Discord bot token',
    severity: 'high',
    token: '[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}',
    name: has('discord'),
    keywords: ['discord'],
    envName: 'DISCORD_BOT_TOKEN',
    about: 'A Discord bot token: full control of the bot account in every server it has joined.',
  },
  {
    id: 'secret-telegram-bot-token',
    label: 'Telegram bot token',
    severity: 'high',
    token: '[0-9]{8,10}:AA[A-Za-z0-9_-]{33}',
    left: WORD + ':',
    keywords: [':AA'],
    envName: 'TELEGRAM_BOT_TOKEN',
    about: 'A Telegram bot token (id:AA…): full control of the bot, including the chats it is in.',
  },
  {
    id: 'secret-sendgrid-api-key',
    label: 'SendGrid API key',
    severity: 'high',
    token: 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}',
    left: WORD + '.',
    keywords: ['SG.'],
    envName: 'SENDGRID_API_KEY',
    about: 'A SendGrid API key (SG.….…): sends mail from your verified domains, which phishers love.',
  },
  {
    id: 'secret-mailgun-api-key',
    label: 'Mailgun API key',
    severity: 'high',
    token: 'key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}',
    name: (w) => w.includes('mailgun') || (w.includes('mg') && w.includes('key')),
    keywords: ['mailgun', 'mg_'],
    envName: 'MAILGUN_API_KEY',
    about: 'A Mailgun private API key: sends mail from your domains and reads message logs.',
  },
  {
    id: 'secret-mailchimp-api-key',
    label: 'Mailchimp API key',
    severity: 'high',
    token: '[0-9a-f]{32}-us[0-9]{1,2}',
    keywords: ['-us'],
    envName: 'MAILCHIMP_API_KEY',
    about: 'A Mailchimp Marketing API key (…-usN): audiences, contacts and campaigns of the account.',
  },
  {
    id: 'secret-twilio-auth-token',
    label: 'Twilio auth token',
    severity: 'high',
    token: '[0-9a-f]{32}',
    name: (w) => w.includes('twilio') && (w.includes('token') || w.includes('secret') || w.includes('auth')),
    keywords: ['twilio'],
    envName: 'TWILIO_AUTH_TOKEN',
    about:
      'A Twilio auth token or API key secret: with the account SID (AC…) or API key SID (SK…) it sends SMS and places calls billed to you.',
  },
  // ---- Payments ----------------------------------------------------------------------------------------------
  {
    id: 'secret-stripe-live-secret-key',
    label: 'Stripe live secret key',
    severity: 'critical',
    token: 'sk_live_[A-Za-z0-9]{24,247}',
    keywords: ['sk_live_'],
    envName: 'STRIPE_SECRET_KEY',
    about:
      'A Stripe live-mode secret key (sk_live_…): charges, refunds and payouts on the real account. Test-mode keys (sk_test_…) are deliberately not reported: they cannot move money.',
  },
  {
    id: 'secret-stripe-restricted-key',
    label: 'Stripe live restricted key',
    severity: 'high',
    token: 'rk_live_[A-Za-z0-9]{24,247}',
    keywords: ['rk_live_'],
    envName: 'STRIPE_RESTRICTED_KEY',
    about:
      'A Stripe live-mode restricted key (rk_live_…): the live-account permissions it was given. Test-mode keys (rk_test_…) are not reported.',
  },
  {
    id: 'secret-square-token',
    label: 'Square access token or secret',
    severity: 'high',
    token: 'sq0atp-[0-9A-Za-z_-]{22}|sq0csp-[0-9A-Za-z_-]{43}|EAAA[A-Za-z0-9_-]{60}',
    keywords: ['sq0atp-', 'sq0csp-', 'EAAA'],
    envName: 'SQUARE_ACCESS_TOKEN',
    about:
      'A Square access token (EAAA…, sq0atp-…) or OAuth application secret (sq0csp-…): payments and customer data of the seller.',
  },
  {
    id: 'secret-braintree-access-token',
    label: 'PayPal Braintree production access token',
    severity: 'critical',
    token: 'access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32}',
    keywords: ['access_token$production$'],
    envName: 'BRAINTREE_ACCESS_TOKEN',
    about: 'A PayPal Braintree production access token (access_token$production$…): live payment processing.',
  },
  {
    id: 'secret-shopify-access-token',
    label: 'Shopify access token',
    severity: 'high',
    token: 'shp(?:at|ca|pa)_[a-fA-F0-9]{32}',
    keywords: ['shpat_', 'shpca_', 'shppa_'],
    envName: 'SHOPIFY_ACCESS_TOKEN',
    about:
      "A Shopify admin, custom-app or private-app access token (shpat_, shpca_, shppa_): the store's orders, customers and products.",
  },
  {
    id: 'secret-shopify-shared-secret',
    label: 'Shopify shared secret',
    severity: 'high',
    token: 'shpss_[a-fA-F0-9]{32}',
    keywords: ['shpss_'],
    envName: 'SHOPIFY_API_SECRET',
    about:
      'A Shopify app shared secret (shpss_…): verifies webhooks and OAuth for the app; with it anyone can forge them.',
  },
  // ---- AI providers ------------------------------------------------------------------------------------------
  {
    id: 'secret-openai-api-key',
    label: 'OpenAI API key',
    severity: 'high',
    token: 'sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'T3BlbkFJ'],
    envName: 'OPENAI_API_KEY',
    about:
      'An OpenAI API key (project sk-proj-…, service account sk-svcacct-…, admin sk-admin-…, or a legacy sk-…T3BlbkFJ… key): model usage billed to the organisation and access to its files and assistants.',
  },
  {
    id: 'secret-anthropic-api-key',
    label: 'Anthropic API key',
    severity: 'high',
    token: 'sk-ant-api03-[A-Za-z0-9_-]{93}AA',
    keywords: ['sk-ant-api03-'],
    envName: 'ANTHROPIC_API_KEY',
    about: 'An Anthropic API key (sk-ant-api03-…): Claude usage billed to the organisation.',
  },
  {
    id: 'secret-anthropic-admin-key',
    label: 'Anthropic admin key',
    severity: 'critical',
    token: 'sk-ant-admin01-[A-Za-z0-9_-]{93}AA',
    keywords: ['sk-ant-admin01-'],
    envName: 'ANTHROPIC_ADMIN_KEY',
    about:
      "An Anthropic Admin API key (sk-ant-admin01-…): manages the organisation's members, workspaces and API keys.",
  },
  {
    id: 'secret-huggingface-token',
    label: 'Hugging Face access token',
    severity: 'high',
    token: 'hf_[A-Za-z]{34}',
    keywords: ['hf_'],
    envName: 'HF_TOKEN',
    about:
      'A Hugging Face user access token (hf_…): private models and datasets, and with write scope, pushes to them.',
  },
  {
    id: 'secret-groq-api-key',
    label: 'Groq API key',
    severity: 'high',
    token: 'gsk_[A-Za-z0-9]{52}',
    keywords: ['gsk_'],
    envName: 'GROQ_API_KEY',
    about: 'A Groq API key (gsk_…): inference billed to the account.',
  },
  {
    id: 'secret-replicate-api-token',
    label: 'Replicate API token',
    severity: 'high',
    token: 'r8_[A-Za-z0-9]{37}',
    keywords: ['r8_'],
    envName: 'REPLICATE_API_TOKEN',
    about: 'A Replicate API token (r8_…): model runs billed to the account and its private models.',
  },
  {
    id: 'secret-perplexity-api-key',
    label: 'Perplexity API key',
    severity: 'high',
    token: 'pplx-[A-Za-z0-9]{48}',
    keywords: ['pplx-'],
    envName: 'PERPLEXITY_API_KEY',
    about: 'A Perplexity API key (pplx-…): search and model usage billed to the account.',
  },
  {
    id: 'secret-cohere-api-key',
    label: 'Cohere API key',
    severity: 'high',
    token: '[A-Za-z0-9]{40}',
    name: has('cohere'),
    keywords: ['cohere'],
    envName: 'COHERE_API_KEY',
    about: 'A Cohere API key: model usage billed to the account.',
  },
  // ---- Productivity, observability and developer platforms ----------------------------------------------------
  {
    id: 'secret-linear-api-key',
    label: 'Linear API key',
    severity: 'high',
    token: 'lin_api_[A-Za-z0-9]{40}',
    keywords: ['lin_api_'],
    envName: 'LINEAR_API_KEY',
    about: 'A Linear personal API key (lin_api_…): issues, projects and comments of the workspace as the user.',
  },
  {
    id: 'secret-notion-token',
    label: 'Notion integration token',
    severity: 'high',
    token: 'ntn_[A-Za-z0-9]{46}|secret_[A-Za-z0-9]{43}',
    keywords: ['ntn_', 'secret_'],
    envName: 'NOTION_TOKEN',
    about:
      'A Notion integration token (ntn_…, or the older secret_…): every page and database shared with the integration.',
  },
  {
    id: 'secret-airtable-pat',
    label: 'Airtable personal access token',
    severity: 'high',
    token: 'pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}',
    keywords: ['pat'],
    envName: 'AIRTABLE_TOKEN',
    about: 'An Airtable personal access token (pat….…): the bases and scopes it was granted.',
  },
  {
    id: 'secret-figma-pat',
    label: 'Figma personal access token',
    severity: 'high',
    token: 'figd_[A-Za-z0-9_-]{38,44}',
    keywords: ['figd_'],
    envName: 'FIGMA_ACCESS_TOKEN',
    about: 'A Figma personal access token (figd_…): files, comments and projects the user can open.',
  },
  {
    id: 'secret-sentry-auth-token',
    label: 'Sentry auth token',
    severity: 'high',
    token: 'sntrys_eyJ[A-Za-z0-9+/=_-]{60,400}|sntryu_[a-f0-9]{64}',
    right: WORD + '+/=-',
    keywords: ['sntrys_', 'sntryu_'],
    envName: 'SENTRY_AUTH_TOKEN',
    about: 'A Sentry organization (sntrys_…) or user (sntryu_…) auth token: releases, source maps and issue data.',
  },
  {
    id: 'secret-sentry-dsn',
    label: 'Sentry DSN',
    severity: 'low',
    token: 'https://[0-9a-f]{32}@o?[0-9]+\\.ingest\\.(?:[a-z]{2}\\.)?sentry\\.io/[0-9]+',
    right: WORD + '/-',
    keywords: ['sentry.io'],
    envName: 'SENTRY_DSN',
    about:
      'A Sentry DSN with its public key. It only allows sending events, so it is low severity, but a server-side DSN in source lets anyone flood or poison your error stream.',
  },
  {
    id: 'secret-new-relic-user-key',
    label: 'New Relic user API key',
    severity: 'high',
    token: 'NRAK-[A-Z0-9]{27}',
    keywords: ['NRAK-'],
    envName: 'NEW_RELIC_API_KEY',
    about: 'A New Relic user API key (NRAK-…): NerdGraph queries and configuration as the user.',
  },
  {
    id: 'secret-databricks-token',
    label: 'Databricks access token',
    severity: 'high',
    token: 'dapi[a-f0-9]{32}(?:-[0-9]+)?',
    keywords: ['dapi'],
    envName: 'DATABRICKS_TOKEN',
    about: 'A Databricks personal access token (dapi…): workspace clusters, jobs, notebooks and data.',
  },
  {
    id: 'secret-supabase-access-token',
    label: 'Supabase access token',
    severity: 'high',
    token: 'sbp_[a-f0-9]{40}',
    keywords: ['sbp_'],
    envName: 'SUPABASE_ACCESS_TOKEN',
    about: 'A Supabase personal access token (sbp_…): the Management API for every project of the user.',
  },
  {
    id: 'secret-supabase-service-role-key',
    label: 'Supabase service-role key',
    severity: 'critical',
    token: 'eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}',
    right: WORD + '.-',
    name: (w) => w.includes('service') && (w.includes('role') || w.includes('supabase')),
    keywords: ['service_role', 'servicerole', 'service-role'],
    envName: 'SUPABASE_SERVICE_ROLE_KEY',
    about: 'A Supabase service-role JWT: bypasses row-level security on the whole database.',
  },
  {
    id: 'secret-okta-api-token',
    label: 'Okta API token',
    severity: 'high',
    token: '00[A-Za-z0-9_-]{40}',
    name: has('okta'),
    keywords: ['okta'],
    envName: 'OKTA_API_TOKEN',
    about: 'An Okta API token (SSWS): administers users, groups and applications of the org.',
  },
  {
    id: 'secret-firebase-fcm-server-key',
    label: 'Firebase Cloud Messaging server key',
    severity: 'high',
    token: 'AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{100,200}',
    keywords: [':APA91b'],
    envName: 'FCM_SERVER_KEY',
    about:
      'A legacy Firebase Cloud Messaging server key (AAAA…:APA91b…): sends push notifications to every user of the app.',
  },
  {
    id: 'secret-mapbox-secret-token',
    label: 'Mapbox secret token',
    severity: 'high',
    token: 'sk\\.eyJ[A-Za-z0-9_-]{20,300}\\.[A-Za-z0-9_-]{20,30}',
    left: WORD + '.',
    keywords: ['sk.eyJ'],
    envName: 'MAPBOX_SECRET_TOKEN',
    about: 'A Mapbox secret token (sk.eyJ…): uploads, styles and token management of the account.',
  },
  {
    id: 'secret-jwt',
    label: 'JSON Web Token',
    severity: 'medium',
    token: 'eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}',
    right: WORD + '.-',
    keywords: ['eyJ'],
    envName: 'JWT',
    yieldTo: ['secret-supabase-service-role-key'],
    about:
      'A signed JSON Web Token (three base64url segments, the first two JSON objects). Many are short-lived session tokens, so this is medium severity, but long-lived API JWTs (Supabase, 1Password Connect, service accounts) grant whatever their claims say until they expire.',
  },
  // ---- Infrastructure and secret managers --------------------------------------------------------------------
  {
    id: 'secret-pulumi-access-token',
    label: 'Pulumi access token',
    severity: 'high',
    token: 'pul-[a-f0-9]{40}',
    keywords: ['pul-'],
    envName: 'PULUMI_ACCESS_TOKEN',
    about: 'A Pulumi access token (pul-…): stacks, their state and their encrypted configuration.',
  },
  {
    id: 'secret-terraform-cloud-token',
    label: 'Terraform Cloud API token',
    severity: 'high',
    token: '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}',
    right: WORD + '=-',
    keywords: ['.atlasv1.'],
    envName: 'TFE_TOKEN',
    about: 'A Terraform Cloud / Enterprise API token (….atlasv1.…): runs, state and variables of the organisation.',
  },
  {
    id: 'secret-doppler-token',
    label: 'Doppler token',
    severity: 'high',
    token: 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}',
    left: WORD + '.',
    keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    envName: 'DOPPLER_TOKEN',
    about:
      'A Doppler personal, service, service-account, CLI, SCIM or audit token (dp.pt., dp.st., …): the secrets Doppler stores for you.',
  },
  {
    id: 'secret-tailscale-key',
    label: 'Tailscale key',
    severity: 'high',
    token: 'tskey-[a-z]+-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,50}',
    keywords: ['tskey-'],
    envName: 'TS_AUTHKEY',
    about: 'A Tailscale auth, API or OAuth client key (tskey-…): joins machines to the tailnet or administers it.',
  },
  {
    id: 'secret-1password-service-account-token',
    label: '1Password service account token',
    severity: 'critical',
    token: 'ops_eyJ[A-Za-z0-9+/=_-]{100,1000}',
    right: WORD + '+/=-',
    keywords: ['ops_eyJ'],
    envName: 'OP_SERVICE_ACCOUNT_TOKEN',
    about: 'A 1Password service account token (ops_…): reads every vault the service account was granted.',
  },
  {
    id: 'secret-age-secret-key',
    label: 'age secret key',
    severity: 'critical',
    token: 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}',
    keywords: ['AGE-SECRET-KEY-1'],
    envName: 'AGE_SECRET_KEY',
    extraCwe: ['CWE-321'],
    about: 'An age encryption identity (AGE-SECRET-KEY-1…): decrypts every file and SOPS secret encrypted to it.',
  },
];

/** The words a provider's `name` predicate sees: the lower-case words of a name, then all of them glued together. */
export function namePredicateWords(name: string): string[] {
  // Some contextual predicates look for a provider word glued to another ("accountkey"): offer both forms.
  const words = nameWords(name);
  return [...words, words.join('')];
}
