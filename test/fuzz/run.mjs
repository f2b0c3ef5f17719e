// `npm run fuzz`: the fuzz corpus at a larger size than `npm test` runs (20,000 files unless FUZZ_FILES says
// otherwise; FUZZ_SEED picks another corpus, FUZZ_VERBOSE lists the slowest files). Expects `build:tests` first.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, FUZZ_FILES: process.env.FUZZ_FILES ?? '20000' };
const r = spawnSync(process.execPath, ['--test', 'out/test/fuzz/'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
