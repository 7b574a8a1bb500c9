// deploy.sh / undeploy.sh against a fake `aws` (no AWS account is reachable from tests):
// fail-fast preconditions (exit 2) and the exact AWS CLI calls of a deploy / undeploy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, symlinkSync, mkdirSync, rmSync, chmodSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { DEFAULT_LADDER, configLadder, withLadder } from '../scripts/ladder.mjs';

const DEPLOY = fileURLToPath(new URL('../deploy.sh', import.meta.url));
const UNDEPLOY = fileURLToPath(new URL('../undeploy.sh', import.meta.url));
const TEMPLATE = fileURLToPath(new URL('../template.yaml', import.meta.url));
// A function zip as make package writes it (fflate, node/node_modules), with a config.json.
const { zipSync } = createRequire(fileURLToPath(new URL('../../node/package.json', import.meta.url)))('fflate');
const functionZip = (config, extra = '') =>
  Buffer.from(zipSync({ 'config.json': Buffer.from(JSON.stringify(config)), 'index.js': Buffer.from(`exports.handler = 1;${extra}`) }));
const ZIP_LADDER = { widths: [300, 600, 1200], dprs: DEFAULT_LADDER.dprs };
const SEP = '\x1f';

let dir; let toolsBin; let stubBin; let zip;

// The fake aws: logs every call (args joined by \x1f, one call per line) and answers from
// FAKE_* variables.
const STUB = `#!/bin/bash
(IFS=$'\\x1f'; printf '%s\\n' "$*") >> "$FAKE_AWS_LOG"
args="$*"
case "$args" in
  "sts get-caller-identity"*)
    if [[ "$FAKE_STS" == fail ]]; then echo "Unable to locate credentials. You can configure credentials by running \\"aws configure\\"." >&2; exit 255; fi
    echo 123456789012 ;;
  "s3api get-bucket-location"*) echo "\${FAKE_BUCKET_LOCATION:-None}" ;;
  "s3api head-object"*) echo "An error occurred (404) when calling the HeadObject operation: Not Found" >&2; exit 255 ;;
  "s3 cp"*) ;;
  "lambda get-function"*)
    if [[ "$FAKE_FUNCTION_EXISTS" == 1 ]]; then echo '{}'; else echo "An error occurred (ResourceNotFoundException) when calling the GetFunction operation: Function not found" >&2; exit 254; fi ;;
  "cloudformation describe-stacks"*StackStatus*)
    if [[ -z "$FAKE_STACK_STATUS" ]]; then echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id x does not exist" >&2; exit 254; fi
    echo "$FAKE_STACK_STATUS" ;;
  "cloudformation describe-stacks"*DistributionDomainName*) echo d111111abcdef8.cloudfront.net ;;
  "cloudformation describe-stacks"*FunctionVersionArn*) echo arn:aws:lambda:us-east-1:123456789012:function:t-resizer:7 ;;
  "cloudformation describe-stacks"*LogGroupName*) echo /aws/lambda/us-east-1.t-resizer ;;
  "cloudformation deploy"*)  # keep the template deployed (deploy.sh removes its copy on exit)
    prev=; for a in "$@"; do [[ "$prev" == --template-file ]] && cp "$a" "$FAKE_AWS_LOG.template"; prev=$a; done ;;
  "cloudformation delete-stack"*|"cloudformation wait"*) ;;
  "lambda delete-function"*)
    case "$FAKE_DELETE" in
      replicated) echo "An error occurred (InvalidParameterValueException) when calling the DeleteFunction operation: Lambda was unable to delete arn:aws:lambda:us-east-1:123456789012:function:t-resizer:1 because it is a replicated function. Please see our documentation for Deleting Lambda@Edge Functions and Replicas." >&2; exit 254 ;;
      notfound) echo "An error occurred (ResourceNotFoundException) when calling the DeleteFunction operation: Function not found" >&2; exit 254 ;;
    esac ;;
  *) echo "fake aws: unexpected call: $args" >&2; exit 99 ;;
esac
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vips-edge-deploy-test-'));
  // A PATH with only the tools the scripts need, and certainly no aws.
  toolsBin = join(dir, 'tools');
  mkdirSync(toolsBin);
  for (const tool of ['bash', 'dirname', 'sha256sum', 'cut', 'openssl', 'base64', 'tr', 'date', 'head', 'sleep', 'cat', 'mktemp', 'rm', 'cp']) {
    const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (found.status !== 0) {
      assert.equal(tool, 'openssl', `${tool} is required by the deploy scripts`);
      continue; // optional: deploy.sh then passes an empty CodeSha256
    }
    symlinkSync(found.stdout.trim(), join(toolsBin, tool));
  }
  stubBin = join(dir, 'stub');
  mkdirSync(stubBin);
  writeFileSync(join(stubBin, 'aws'), STUB);
  chmodSync(join(stubBin, 'aws'), 0o755);
  zip = join(dir, 'function.zip');
  writeFileSync(zip, functionZip({ clientHints: { widths: ZIP_LADDER.widths } }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function run(script, env, { withAws = true } = {}) {
  const log = join(dir, `aws-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const r = spawnSync(join(toolsBin, 'bash'), [script], {
    encoding: 'utf8',
    env: { PATH: withAws ? `${stubBin}:${toolsBin}` : toolsBin, HOME: dir, FAKE_AWS_LOG: log, NODE: process.execPath, ...env },
  });
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split(SEP));
  const template = existsSync(`${log}.template`) ? readFileSync(`${log}.template`, 'utf8') : null;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls, template };
}

const s3Env = { STACK: 't', CODE_BUCKET: 'artifacts', ORIGIN_TYPE: 's3', SOURCE_BUCKET: 'imgs' };
const customEnv = { STACK: 't', CODE_BUCKET: 'artifacts', ORIGIN_TYPE: 'custom', ORIGIN_DOMAIN: 'img.example.org' };

// ---------------------------------------------------------------- fail fast
for (const script of [DEPLOY, UNDEPLOY]) {
  const name = script.endsWith('undeploy.sh') ? 'undeploy.sh' : 'deploy.sh';

  test(`${name}: exit 2 with a clear message when aws is not on PATH`, () => {
    const r = run(script, { ...s3Env, ZIP: zip }, { withAws: false });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /AWS CLI \('aws'\) is not on PATH/);
  });

  test(`${name}: exit 2 with a clear message when sts get-caller-identity fails (no credentials)`, () => {
    const r = run(script, { ...s3Env, ZIP: zip, FAKE_STS: 'fail' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /no usable AWS credentials/);
    assert.match(r.stderr, /Unable to locate credentials/, 'shows the CLI error');
    assert.deepEqual(r.calls.map((c) => c.slice(0, 2).join(' ')), ['sts get-caller-identity'], 'nothing after sts');
  });

  test(`${name}: exit 2 on an invalid STACK name, before any AWS call`, () => {
    const r = run(script, { ...s3Env, ZIP: zip, STACK: 'bad_name!' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /STACK='bad_name!'/);
    assert.deepEqual(r.calls, []);
  });
}

test('deploy.sh: exit 2 when dist/function.zip is missing, before any AWS call', () => {
  const r = run(DEPLOY, { ...s3Env, ZIP: join(dir, 'nope.zip') });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nope\.zip not found: build it first with 'make package'/);
  assert.deepEqual(r.calls, []);
});

test('deploy.sh: default ZIP is <repo>/dist/function.zip', () => {
  // A copy of deploy/ in an empty "repo", so the default path is absent
  // whether or not this checkout has built dist/function.zip.
  const repo = mkdtempSync(join(tmpdir(), 'vips-edge-repo-'));
  mkdirSync(join(repo, 'deploy'));
  for (const f of ['deploy.sh', 'lib.sh', 'template.yaml']) writeFileSync(join(repo, 'deploy', f), readFileSync(new URL(`../${f}`, import.meta.url)));
  try {
    const r = run(join(repo, 'deploy/deploy.sh'), { ...s3Env });
    assert.equal(r.code, 2);
    assert.ok(r.stderr.includes(`${join(repo, 'dist/function.zip')} not found`), r.stderr);
    assert.deepEqual(r.calls, []);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

test('deploy.sh: exit 2 on missing CODE_BUCKET / SOURCE_BUCKET / ORIGIN_DOMAIN / bad ORIGIN_TYPE', () => {
  const cases = [
    [{ ...s3Env, CODE_BUCKET: '' }, /CODE_BUCKET is not set/],
    [{ ...s3Env, SOURCE_BUCKET: '' }, /ORIGIN_TYPE=s3 needs SOURCE_BUCKET/],
    [{ ...customEnv, ORIGIN_DOMAIN: '' }, /ORIGIN_TYPE=custom needs ORIGIN_DOMAIN/],
    [{ ...customEnv, ORIGIN_DOMAIN: 'https://img.example.org' }, /bare host name/],
    [{ ...s3Env, ORIGIN_TYPE: 'http' }, /must be s3 or custom/],
  ];
  for (const [env, msg] of cases) {
    const r = run(DEPLOY, { ...env, ZIP: zip });
    assert.equal(r.code, 2, JSON.stringify(env));
    assert.match(r.stderr, msg);
    assert.deepEqual(r.calls, []);
  }
});

test('deploy.sh: exit 2 when CODE_BUCKET is not in us-east-1', () => {
  const r = run(DEPLOY, { ...s3Env, ZIP: zip, FAKE_BUCKET_LOCATION: 'eu-west-1' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /must be in us-east-1/);
});

test('deploy.sh: exit 2 when the stack is in ROLLBACK_COMPLETE or a retained function is left over', () => {
  let r = run(DEPLOY, { ...s3Env, ZIP: zip, FAKE_STACK_STATUS: 'ROLLBACK_COMPLETE' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /make undeploy STACK=t/);
  r = run(DEPLOY, { ...s3Env, ZIP: zip, FAKE_FUNCTION_EXISTS: '1' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /function t-resizer exists but stack t does not/);
  assert.ok(!r.calls.some((c) => c[0] === 's3' || c[1] === 'deploy'));
});

// ---------------------------------------------------------------- deploy calls
function deployCall(calls) {
  const c = calls.find((x) => x[0] === 'cloudformation' && x[1] === 'deploy');
  assert.ok(c, 'cloudformation deploy was called');
  const i = c.indexOf('--parameter-overrides');
  const params = Object.fromEntries(c.slice(i + 1).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return { args: c.slice(0, i), params };
}
const flag = (args, f) => args[args.indexOf(f) + 1];

test('deploy.sh (s3 origin): uploads the zip under a content-hash key and deploys in us-east-1 with CAPABILITY_IAM', () => {
  const r = run(DEPLOY, { ...s3Env, ZIP: zip, MEMORY: '2048', TIMEOUT: '20', RUNTIME: 'nodejs22.x' });
  assert.equal(r.code, 0, r.stderr);
  const hex = createHash('sha256').update(readFileSync(zip)).digest('hex');
  const key = `vips-edge/t/function-${hex.slice(0, 20)}.zip`;
  const cp = r.calls.find((c) => c[0] === 's3' && c[1] === 'cp');
  assert.deepEqual(cp.slice(0, 4), ['s3', 'cp', zip, `s3://artifacts/${key}`]);
  assert.equal(flag(cp, '--region'), 'us-east-1');
  const { args, params } = deployCall(r.calls);
  assert.equal(flag(args, '--region'), 'us-east-1');
  assert.equal(flag(args, '--stack-name'), 't');
  assert.equal(flag(args, '--capabilities'), 'CAPABILITY_IAM');
  // template.yaml, its CloudFront Function rounding client hints to the zip's config ladder
  assert.notEqual(flag(args, '--template-file'), TEMPLATE);
  assert.equal(r.template, withLadder(readFileSync(TEMPLATE, 'utf8'), ZIP_LADDER));
  assert.match(r.template, /var LADDER = \{"widths":\[300,600,1200\],"dprs":\[1,2,3\]\};/);
  assert.deepEqual(params, {
    CodeBucket: 'artifacts',
    CodeKey: key,
    CodeSha256: existsSync(join(toolsBin, 'openssl')) ? createHash('sha256').update(readFileSync(zip)).digest('base64') : '',
    OriginType: 's3',
    SourceBucketName: 'imgs',
    CustomOriginDomain: '',
    MemorySize: '2048',
    Timeout: '20',
    Runtime: 'nodejs22.x',
  });
  // the upload happens before the deploy, credentials are checked before both
  const order = r.calls.map((c) => `${c[0]} ${c[1]}`);
  assert.equal(order[0], 'sts get-caller-identity');
  assert.ok(order.indexOf('s3 cp') < order.indexOf('cloudformation deploy'));
  assert.match(r.stdout, /Distribution: https:\/\/d111111abcdef8\.cloudfront\.net/);
  // every call targets us-east-1 explicitly (never the CLI's default region)
  for (const c of r.calls) assert.equal(flag(c, '--region'), 'us-east-1', c.join(' '));
});

test('deploy.sh: a new build gets a new CodeKey (=> a new numbered version); the same build the same key', () => {
  const a = deployCall(run(DEPLOY, { ...s3Env, ZIP: zip }).calls).params.CodeKey;
  const a2 = deployCall(run(DEPLOY, { ...s3Env, ZIP: zip }).calls).params.CodeKey;
  const zip2 = join(dir, 'function2.zip');
  writeFileSync(zip2, functionZip({ clientHints: { widths: ZIP_LADDER.widths } }, ' // another build'));
  const b = deployCall(run(DEPLOY, { ...s3Env, ZIP: zip2 }).calls).params.CodeKey;
  assert.equal(a, a2);
  assert.notEqual(a, b);
});

test('deploy.sh (custom origin): passes CustomOriginDomain and protocol', () => {
  const r = run(DEPLOY, { ...customEnv, ZIP: zip, ORIGIN_PROTOCOL: 'http' });
  assert.equal(r.code, 0, r.stderr);
  const { params } = deployCall(r.calls);
  assert.equal(params.OriginType, 'custom');
  assert.equal(params.CustomOriginDomain, 'img.example.org');
  assert.equal(params.CustomOriginProtocol, 'http');
  assert.equal(params.SourceBucketName, '');
});

test('deploy.sh: every parameter it passes exists in template.yaml', () => {
  const tpl = readFileSync(TEMPLATE, 'utf8');
  const env = { ...s3Env, ZIP: zip, MEMORY: '1', TIMEOUT: '1', RUNTIME: 'x', PRICE_CLASS: 'x', ORIGIN_SHIELD: 'x', SOURCE_BUCKET_REGION: 'x', MANAGE_BUCKET_POLICY: 'x' };
  const names = [
    ...Object.keys(deployCall(run(DEPLOY, env).calls).params),
    ...Object.keys(deployCall(run(DEPLOY, { ...customEnv, ZIP: zip, ORIGIN_PROTOCOL: 'https' }).calls).params),
  ];
  for (const n of names) assert.match(tpl, new RegExp(`^  ${n}:$`, 'm'), `template parameter ${n}`);
  assert.ok(names.includes('OriginShieldRegion'), 'ORIGIN_SHIELD reaches the template');
  assert.equal(deployCall(run(DEPLOY, { ...s3Env, ZIP: zip, ORIGIN_SHIELD: 'eu-west-1' }).calls).params.OriginShieldRegion, 'eu-west-1');
  assert.equal(deployCall(run(DEPLOY, { ...s3Env, ZIP: zip }).calls).params.OriginShieldRegion, undefined, 'kept as it is when not given');
});

// ---------------------------------------------------------------- undeploy
test('undeploy.sh: deletes the stack, waits, then reports a still-replicated function as pending (exit 0)', () => {
  const r = run(UNDEPLOY, { STACK: 't', FAKE_STACK_STATUS: 'UPDATE_COMPLETE', FAKE_DELETE: 'replicated' });
  assert.equal(r.code, 0, r.stderr);
  const order = r.calls.map((c) => `${c[0]} ${c[1]}`);
  assert.deepEqual(order, ['sts get-caller-identity', 'cloudformation describe-stacks', 'cloudformation delete-stack', 'cloudformation wait', 'lambda delete-function']);
  const del = r.calls.find((c) => c[1] === 'delete-function');
  assert.equal(flag(del, '--function-name'), 't-resizer');
  assert.equal(flag(del, '--region'), 'us-east-1');
  assert.match(r.stdout, /PENDING: t-resizer is still replicated/);
  assert.match(r.stdout, /make undeploy STACK=t/);
});

test('undeploy.sh: re-run after the stack is gone only deletes the function', () => {
  let r = run(UNDEPLOY, { STACK: 't' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.calls.map((c) => `${c[0]} ${c[1]}`), ['sts get-caller-identity', 'cloudformation describe-stacks', 'lambda delete-function']);
  assert.match(r.stderr, /function t-resizer and all its versions deleted/);
  r = run(UNDEPLOY, { STACK: 't', FAKE_DELETE: 'notfound' });
  assert.equal(r.code, 0);
  assert.match(r.stderr, /does not exist \(already deleted\)/);
});

test('deploy.sh: a zip without a readable config.json stops before any AWS call', () => {
  const bad = join(dir, 'not-a-zip.zip');
  writeFileSync(bad, 'PK not a zip');
  const r = run(DEPLOY, { ...s3Env, ZIP: bad });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /cannot read the client-hint ladder/);
  assert.deepEqual(r.calls, []);
});

test('ladder.mjs: the config ladder, the defaults for what it leaves out, one LADDER line replaced', () => {
  assert.deepEqual(configLadder({}), { widths: DEFAULT_LADDER.widths, dprs: DEFAULT_LADDER.dprs });
  assert.deepEqual(configLadder({ clientHints: { dprs: [1, 2] } }), { widths: DEFAULT_LADDER.widths, dprs: [1, 2] });
  const js = readFileSync(new URL('../viewer-request.js', import.meta.url), 'utf8');
  assert.match(withLadder(js, { widths: [500], dprs: [1] }), /var LADDER = \{"widths":\[500\],"dprs":\[1\]\};/);
  assert.throws(() => withLadder('no ladder here', { widths: [1], dprs: [1] }), /expected one/);
});
