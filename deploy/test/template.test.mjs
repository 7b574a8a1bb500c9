// Static checks of deploy/template.yaml: CloudFormation well-formedness (against the
// CloudFormation resource specification shipped in @aws-cdk/cfnspec), reference integrity,
// and the Lambda@Edge / cache-key invariants vips-edge depends on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseDocument } from 'yaml';
import { functionSource } from '../scripts/sync-template.mjs';

const require = createRequire(import.meta.url);
const spec = require('@aws-cdk/cfnspec/spec/specification.json');

const TEMPLATE_TEXT = readFileSync(new URL('../template.yaml', import.meta.url), 'utf8');
const doc = parseDocument(TEMPLATE_TEXT);
const T = doc.toJS();

// The canonical names of src/api/params.json: the CloudFront Function rewrites every alias
// into them before the cache lookup, so they are all the cache key needs.
const RUNTIMES = JSON.parse(readFileSync(new URL('../../node/runtimes/runtimes.json', import.meta.url), 'utf8'));
const URL_API_PARAMS = JSON.parse(readFileSync(new URL('../../src/api/params.json', import.meta.url), 'utf8')).params.map((p) => p.name);
const HEADER = 'x-vips-edge-accept';
const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

const resourcesOfType = (t, tpl = T) => Object.entries(tpl.Resources).filter(([, r]) => r.Type === t);
const only = (t, tpl = T) => {
  const found = resourcesOfType(t, tpl);
  assert.equal(found.length, 1, `exactly one ${t}`);
  return found[0][1];
};
const isIntrinsic = (v) => v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 &&
  (Object.keys(v)[0] === 'Ref' || Object.keys(v)[0].startsWith('Fn::') || Object.keys(v)[0] === 'Condition');

// ---------------------------------------------------------------- conditions & materialising
// Resolve the template for a set of parameter values, the way CloudFormation would for
// Conditions/Fn::If/AWS::NoValue (other intrinsics are left as they are).
function materialise(params) {
  const values = {};
  for (const [name, p] of Object.entries(T.Parameters)) values[name] = params[name] ?? p.Default;
  values['AWS::Region'] = params['AWS::Region'] ?? 'us-east-1';
  const conds = {};
  const evalCond = (e) => {
    if (typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean') return String(e);
    const [k, v] = Object.entries(e)[0];
    switch (k) {
      case 'Ref': return String(values[v]);
      case 'Condition': return cond(v);
      case 'Fn::Equals': return evalCond(v[0]) === evalCond(v[1]);
      case 'Fn::Not': return !evalCond(v[0]);
      case 'Fn::And': return v.every(evalCond);
      case 'Fn::Or': return v.some(evalCond);
      default: throw new Error(`unsupported in conditions: ${k}`);
    }
  };
  const cond = (name) => {
    assert.ok(name in T.Conditions, `unknown condition ${name}`);
    if (!(name in conds)) conds[name] = evalCond(T.Conditions[name]);
    return conds[name];
  };
  const NOVALUE = Symbol('novalue');
  const walk = (v) => {
    if (Array.isArray(v)) return v.map(walk).filter((x) => x !== NOVALUE);
    if (v && typeof v === 'object') {
      if (isIntrinsic(v) && v.Ref === 'AWS::NoValue') return NOVALUE;
      if (isIntrinsic(v) && 'Fn::If' in v) {
        const [c, yes, no] = v['Fn::If'];
        return walk(cond(c) ? yes : no);
      }
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        const w = walk(x);
        if (w !== NOVALUE) out[k] = w;
      }
      return out;
    }
    return v;
  };
  const Resources = {};
  for (const [id, r] of Object.entries(T.Resources)) {
    if (r.Condition && !cond(r.Condition)) continue;
    Resources[id] = walk(r);
  }
  const rules = Object.entries(T.Rules ?? {}).map(([name, r]) => ({
    name,
    applies: r.RuleCondition ? evalCond(r.RuleCondition) : true,
    ok: r.Assertions.every((a) => evalCond(a.Assert)),
  }));
  return { Resources, values, rules };
}

// ---------------------------------------------------------------- YAML form
test('template parses as plain YAML without CloudFormation short-form tags', () => {
  assert.deepEqual(doc.errors, []);
  assert.deepEqual(doc.warnings, [], 'no unresolved tags (e.g. !Ref) or other YAML warnings');
  const shortForm = /(^|[\s[,:-])!(Ref|Sub|GetAtt|If|Equals|Not|And|Or|Select|Join|FindInMap|Condition|Split|Base64|ImportValue|GetAZs|Cidr|Length|ToJsonString|Transform)\b/m;
  assert.doesNotMatch(TEMPLATE_TEXT, shortForm);
});

test('template fits in an inline --template-body (51,200 bytes)', () => {
  assert.ok(Buffer.byteLength(TEMPLATE_TEXT) < 51200, `${Buffer.byteLength(TEMPLATE_TEXT)} bytes`);
});

test('template has the expected top-level sections only', () => {
  assert.equal(T.AWSTemplateFormatVersion, '2010-09-09');
  for (const k of Object.keys(T)) {
    assert.ok(['AWSTemplateFormatVersion', 'Description', 'Parameters', 'Rules', 'Conditions', 'Resources', 'Outputs'].includes(k), k);
  }
  assert.ok(T.Description.length <= 1024, 'Description at most 1024 characters');
});

// ---------------------------------------------------------------- spec validation
function validateProps(where, props, propSpecs, resourceType, errors) {
  if (isIntrinsic(props)) return validateIntrinsicBranches(where, props, (b) => validateProps(where, b, propSpecs, resourceType, errors));
  if (!props || typeof props !== 'object' || Array.isArray(props)) {
    errors.push(`${where}: expected an object`);
    return;
  }
  for (const [name, ps] of Object.entries(propSpecs)) {
    if (ps.Required && !(name in props)) errors.push(`${where}: missing required ${name}`);
  }
  for (const [name, value] of Object.entries(props)) {
    const ps = propSpecs[name];
    if (!ps) {
      errors.push(`${where}: unknown property ${name}`);
      continue;
    }
    validateValue(`${where}.${name}`, value, ps, resourceType, errors);
  }
}

function validateIntrinsicBranches(where, v, fn) {
  if ('Fn::If' in v) {
    const [, yes, no] = v['Fn::If'];
    for (const b of [yes, no]) if (!(isIntrinsic(b) && b.Ref === 'AWS::NoValue')) fn(b);
  }
}

function typeSpec(resourceType, name) {
  return spec.PropertyTypes[`${resourceType}.${name}`] ?? spec.PropertyTypes[name];
}

function validatePrimitive(where, value, prim, errors) {
  if (isIntrinsic(value)) return;
  const ok = {
    String: () => typeof value === 'string' || typeof value === 'number',
    Integer: () => Number.isInteger(Number(value)),
    Long: () => Number.isInteger(Number(value)),
    Double: () => !Number.isNaN(Number(value)),
    Boolean: () => typeof value === 'boolean' || value === 'true' || value === 'false',
    Json: () => typeof value === 'object',
    Timestamp: () => typeof value === 'string',
  }[prim];
  if (ok && !ok()) errors.push(`${where}: expected ${prim}, got ${JSON.stringify(value)}`);
}

function validateValue(where, value, ps, resourceType, errors) {
  if (isIntrinsic(value) && !('Fn::If' in value)) return;
  if (isIntrinsic(value)) return validateIntrinsicBranches(where, value, (b) => validateValue(where, b, ps, resourceType, errors));
  if (ps.PrimitiveType) return validatePrimitive(where, value, ps.PrimitiveType, errors);
  if (ps.Type === 'List') {
    if (!Array.isArray(value)) return errors.push(`${where}: expected a list`);
    value.forEach((item, i) => {
      if (ps.PrimitiveItemType) validatePrimitive(`${where}[${i}]`, item, ps.PrimitiveItemType, errors);
      else if (isIntrinsic(item)) validateIntrinsicBranches(where, item, (b) => validateProps(`${where}[${i}]`, b, typeSpec(resourceType, ps.ItemType).Properties, resourceType, errors));
      else validateProps(`${where}[${i}]`, item, typeSpec(resourceType, ps.ItemType).Properties, resourceType, errors);
    });
    return;
  }
  if (ps.Type === 'Map') return;
  const t = typeSpec(resourceType, ps.Type);
  if (!t) return errors.push(`${where}: no spec for type ${ps.Type}`);
  validateProps(where, value, t.Properties, resourceType, errors);
}

test('every resource matches the CloudFormation resource specification', () => {
  const errors = [];
  for (const [id, r] of Object.entries(T.Resources)) {
    const rs = spec.ResourceTypes[r.Type];
    if (!rs) {
      errors.push(`${id}: unknown resource type ${r.Type}`);
      continue;
    }
    for (const k of Object.keys(r)) {
      if (!['Type', 'Properties', 'Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata'].includes(k)) errors.push(`${id}: unknown attribute ${k}`);
    }
    validateProps(id, r.Properties ?? {}, rs.Properties, r.Type, errors);
  }
  assert.deepEqual(errors, []);
});

test('every Ref, Fn::GetAtt, Fn::Sub variable and condition name resolves', () => {
  const errors = [];
  const params = new Set(Object.keys(T.Parameters));
  const resources = new Set(Object.keys(T.Resources));
  const conditions = new Set(Object.keys(T.Conditions));
  const known = (n) => params.has(n) || resources.has(n) || PSEUDO.has(n);
  const getAtt = (where, res, attr) => {
    if (!resources.has(res)) return errors.push(`${where}: GetAtt unknown resource ${res}`);
    const attrs = spec.ResourceTypes[T.Resources[res].Type].Attributes ?? {};
    if (!(attr in attrs)) errors.push(`${where}: ${T.Resources[res].Type} has no attribute ${attr}`);
  };
  const walk = (where, v, inRules = false) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(`${where}[${i}]`, x, inRules));
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'Ref' && !known(x)) errors.push(`${where}: Ref to unknown ${x}`);
      if (k === 'Ref' && inRules && resources.has(x)) errors.push(`${where}: Rules may only reference parameters`);
      if (k === 'Fn::GetAtt') getAtt(where, ...(Array.isArray(x) ? x : x.split('.')));
      if (k === 'Fn::Sub') {
        const s = Array.isArray(x) ? x[0] : x;
        const local = Array.isArray(x) ? Object.keys(x[1]) : [];
        for (const m of s.matchAll(/\$\{([^}!]+)\}/g)) {
          const [name, attr] = m[1].split(/\.(.+)/);
          if (local.includes(m[1])) continue;
          if (attr && !PSEUDO.has(m[1])) getAtt(where, name, attr);
          else if (!known(m[1])) errors.push(`${where}: Fn::Sub variable \${${m[1]}} is unknown`);
        }
      }
      if (k === 'Condition' && typeof x === 'string' && !conditions.has(x)) errors.push(`${where}: unknown condition ${x}`);
      if (k === 'Fn::If' && !conditions.has(x[0])) errors.push(`${where}: Fn::If unknown condition ${x[0]}`);
      walk(`${where}.${k}`, x, inRules);
    }
  };
  walk('Rules', T.Rules, true);
  walk('Conditions', T.Conditions);
  walk('Resources', T.Resources);
  walk('Outputs', T.Outputs);
  // every declared condition and parameter is used
  const text = JSON.stringify({ r: T.Resources, o: T.Outputs, c: T.Conditions, rules: T.Rules });
  for (const c of conditions) assert.ok(text.includes(`"${c}"`), `condition ${c} is used`);
  for (const p of params) assert.ok(text.includes(`"${p}"`) || text.includes(`\${${p}}`), `parameter ${p} is used`);
  assert.deepEqual(errors, []);
});

// ---------------------------------------------------------------- region
test('region guard: a Rule asserts AWS::Region == us-east-1 and the Description says so', () => {
  assert.match(T.Description, /us-east-1/);
  const found = Object.values(T.Rules).some((r) => !r.RuleCondition && r.Assertions.some((a) =>
    JSON.stringify(a.Assert) === JSON.stringify({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] })));
  assert.ok(found, 'a Rule without RuleCondition asserts Fn::Equals [Ref AWS::Region, us-east-1]');
  assert.ok(materialise({ SourceBucketName: 'b' }).rules.every((r) => !r.applies || r.ok));
  const elsewhere = materialise({ SourceBucketName: 'b', 'AWS::Region': 'eu-west-1' }).rules;
  assert.ok(elsewhere.some((r) => r.applies && !r.ok), 'eu-west-1 is rejected');
});

test('origin parameters are required by Rules for the chosen OriginType', () => {
  const failing = (p) => materialise(p).rules.filter((r) => r.applies && !r.ok).map((r) => r.name);
  assert.deepEqual(failing({ OriginType: 's3' }), ['S3OriginNeedsBucket']);
  assert.deepEqual(failing({ OriginType: 'custom' }), ['CustomOriginNeedsDomain']);
  assert.deepEqual(failing({ OriginType: 's3', SourceBucketName: 'b' }), []);
  assert.deepEqual(failing({ OriginType: 'custom', CustomOriginDomain: 'img.example.org' }), []);
});

// ---------------------------------------------------------------- parameters
test('parameters: CodeBucket/CodeKey, MemorySize 320..10240, Timeout <= 30, Runtime = the tested runtimes (node/runtimes/runtimes.json), OriginType s3|custom', () => {
  const P = T.Parameters;
  for (const p of ['CodeBucket', 'CodeKey', 'MemorySize', 'Timeout', 'Runtime', 'OriginType', 'SourceBucketName', 'CustomOriginDomain', 'CustomOriginProtocol']) assert.ok(P[p], p);
  assert.equal(P.CodeBucket.Default, undefined, 'CodeBucket has no default');
  assert.equal(P.CodeKey.Default, undefined, 'CodeKey has no default');
  // The work budget's worst accepted request peaks under 256 MiB (README "Work budget": 112 MiB
  // runtime + maxWorkingMemory 136 MiB, under 256), plus ~25 MiB for the AVIF codec module: the minimum
  // leaves room for both; origin triggers allow up to 10240.
  assert.equal(P.MemorySize.MinValue, 320);
  assert.ok(P.MemorySize.MinValue >= 256 + 25, 'the worst accepted request fits the smallest function');
  assert.equal(P.MemorySize.MaxValue, 10240);
  assert.ok(P.MemorySize.Default >= P.MemorySize.MinValue && P.MemorySize.Default <= 10240);
  assert.ok(P.Timeout.MinValue >= 1);
  assert.equal(P.Timeout.MaxValue, 30, 'origin-request triggers allow at most 30 s');
  assert.ok(P.Timeout.Default <= 30);
  // The runtimes every trigger suite runs on (make test), and only those: Lambda refuses new
  // functions on a deprecated runtime (nodejs20.x since 2026-04-30), and an untested one is a guess.
  assert.deepEqual([...P.Runtime.AllowedValues].sort(), RUNTIMES.runtimes.map((r) => r.lambda).sort());
  assert.equal(P.Runtime.Default, RUNTIMES.default, 'the template defaults to the runtime make serve/bench use');
  for (const r of RUNTIMES.runtimes) assert.ok(r.deprecated > new Date().toISOString().slice(0, 10), `${r.lambda} is past its deprecation date ${r.deprecated}`);
  assert.deepEqual([...P.OriginType.AllowedValues].sort(), ['custom', 's3']);
  assert.deepEqual([...P.CustomOriginProtocol.AllowedValues].sort(), ['http', 'https']);
});

// ---------------------------------------------------------------- IAM
const rolePolicies = (tpl) => only('AWS::IAM::Role', tpl).Properties.Policies;
const statements = (policies) => policies.flatMap((p) => p.PolicyDocument.Statement);
const asList = (x) => (Array.isArray(x) ? x : [x]);

test('execution role trusts exactly lambda.amazonaws.com and edgelambda.amazonaws.com', () => {
  const role = only('AWS::IAM::Role');
  const st = role.Properties.AssumeRolePolicyDocument.Statement;
  assert.equal(st.length, 1);
  assert.equal(st[0].Effect, 'Allow');
  assert.deepEqual(asList(st[0].Action), ['sts:AssumeRole']);
  assert.deepEqual(Object.keys(st[0].Principal), ['Service']);
  assert.deepEqual([...asList(st[0].Principal.Service)].sort(), ['edgelambda.amazonaws.com', 'lambda.amazonaws.com']);
  assert.equal(role.Properties.ManagedPolicyArns, undefined, 'no managed policies');
  assert.equal(role.Properties.RoleName, undefined, 'unnamed role: CAPABILITY_IAM suffices');
});

test('role permissions: only CloudWatch Logs, plus s3:GetObject on the source bucket objects when OriginType=s3', () => {
  const custom = statements(rolePolicies(materialise({ OriginType: 'custom', CustomOriginDomain: 'img.example.org' })));
  for (const s of custom) {
    assert.equal(s.Effect, 'Allow');
    for (const a of asList(s.Action)) assert.match(a, /^logs:(CreateLogGroup|CreateLogStream|PutLogEvents)$/);
    for (const r of asList(s.Resource)) assert.match(r['Fn::Sub'], /:log-group:\/aws\/lambda\/(us-east-1\.)?\$\{AWS::StackName\}-resizer(:\*)?$/);
  }
  const s3 = statements(rolePolicies(materialise({ OriginType: 's3', SourceBucketName: 'imgs' })));
  const nonLogs = s3.filter((s) => asList(s.Action).some((a) => !a.startsWith('logs:')));
  assert.equal(nonLogs.length, 1);
  assert.deepEqual(asList(nonLogs[0].Action), ['s3:GetObject']);
  assert.deepEqual(asList(nonLogs[0].Resource), [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${SourceBucketName}/*' }]);
  assert.equal(s3.length, custom.length + 1);
  for (const s of [...custom, ...s3]) {
    assert.ok(!asList(s.Resource).includes('*'), 'no wildcard resource');
    assert.ok(!asList(s.Action).some((a) => a.endsWith(':*') || a === '*'), 'no wildcard action');
  }
});

// ---------------------------------------------------------------- Lambda
test('function: x86_64, index.handler, no Environment, runtime/memory/timeout from parameters, retained', () => {
  const [[id, fn]] = resourcesOfType('AWS::Lambda::Function');
  const p = fn.Properties;
  assert.equal(p.Environment, undefined, 'Lambda@Edge forbids environment variables');
  assert.deepEqual(p.Architectures, ['x86_64']);
  assert.equal(p.Handler, 'index.handler');
  assert.deepEqual(p.Runtime, { Ref: 'Runtime' });
  assert.deepEqual(p.MemorySize, { Ref: 'MemorySize' });
  assert.deepEqual(p.Timeout, { Ref: 'Timeout' });
  assert.deepEqual(p.Code, { S3Bucket: { Ref: 'CodeBucket' }, S3Key: { Ref: 'CodeKey' } });
  for (const k of ['Layers', 'VpcConfig', 'FileSystemConfigs', 'ImageConfig', 'DeadLetterConfig', 'SnapStart']) assert.equal(p[k], undefined, `no ${k} on Lambda@Edge`);
  assert.deepEqual(p.FunctionName, { 'Fn::Sub': '${AWS::StackName}-resizer' }, 'deploy/undeploy scripts derive the name from STACK');
  assert.equal(fn.DeletionPolicy, 'Retain', `${id}: replicas make an immediate delete fail`);
  assert.equal(fn.UpdateReplacePolicy, 'Retain');
});

test('version: numbered AWS::Lambda::Version of the function, replaced on each new code key or config', () => {
  const v = only('AWS::Lambda::Version');
  const fnId = resourcesOfType('AWS::Lambda::Function')[0][0];
  assert.deepEqual(v.Properties.FunctionName, { Ref: fnId });
  const desc = v.Properties.Description['Fn::Sub'];
  for (const p of ['CodeKey', 'Runtime', 'MemorySize', 'Timeout']) assert.ok(desc.includes(`\${${p}}`), `Description (replacement on change) includes ${p}`);
  assert.equal(v.DeletionPolicy, 'Retain');
  assert.equal(v.UpdateReplacePolicy, 'Retain');
});

// ---------------------------------------------------------------- cache policy
test('cache policy: every query string (the function made it canonical; a whitelist would pass the 10-name quota), headers exactly x-vips-edge-accept and x-vips-edge-hints, no cookies, TTLs', () => {
  const cp = only('AWS::CloudFront::CachePolicy').Properties.CachePolicyConfig;
  const k = cp.ParametersInCacheKeyAndForwardedToOrigin;
  assert.equal(k.QueryStringsConfig.QueryStringBehavior, 'all');
  assert.equal(k.QueryStringsConfig.QueryStrings, undefined);
  // "all" is safe only because the viewer-request function keeps the URL API's names alone.
  assert.ok(URL_API_PARAMS.length > 10, 'more names than a cache policy may whitelist by default');
  assert.equal(k.HeadersConfig.HeaderBehavior, 'whitelist');
  assert.deepEqual(k.HeadersConfig.Headers, [HEADER, 'x-vips-edge-hints']);
  assert.equal(k.CookiesConfig.CookieBehavior, 'none');
  assert.equal(k.CookiesConfig.Cookies, undefined);
  assert.equal(k.EnableAcceptEncodingGzip, false);
  assert.equal(k.EnableAcceptEncodingBrotli, false);
  assert.equal(cp.MinTTL, 0);
  const m = materialise({ SourceBucketName: 'b' }).values;
  assert.ok(Number(m.DefaultTTL) > 0 && Number(m.DefaultTTL) <= Number(m.MaxTTL));
});

test('no origin request policy is needed: the cache key already forwards the header and query strings', () => {
  assert.equal(resourcesOfType('AWS::CloudFront::OriginRequestPolicy').length, 0);
  const b = only('AWS::CloudFront::Distribution').Properties.DistributionConfig.DefaultCacheBehavior;
  assert.equal(b.OriginRequestPolicyId, undefined);
  assert.equal(b.ForwardedValues, undefined, 'legacy ForwardedValues cannot be combined with a cache policy');
});

// ---------------------------------------------------------------- distribution
test('distribution: origin-request association to the numbered Version, IncludeBody false; viewer-request CloudFront Function', () => {
  const d = only('AWS::CloudFront::Distribution').Properties.DistributionConfig;
  const b = d.DefaultCacheBehavior;
  const versionId = resourcesOfType('AWS::Lambda::Version')[0][0];
  const cfFnId = resourcesOfType('AWS::CloudFront::Function')[0][0];
  assert.equal(b.LambdaFunctionAssociations.length, 1);
  const la = b.LambdaFunctionAssociations[0];
  assert.equal(la.EventType, 'origin-request');
  assert.equal(la.IncludeBody, false);
  assert.deepEqual(la.LambdaFunctionARN, { Ref: versionId }, 'Ref of the Version (numbered ARN), not the function ARN or $LATEST');
  assert.doesNotMatch(JSON.stringify(T), /\$LATEST/);
  assert.equal(b.FunctionAssociations.length, 1);
  assert.equal(b.FunctionAssociations[0].EventType, 'viewer-request');
  assert.deepEqual(b.FunctionAssociations[0].FunctionARN, { 'Fn::GetAtt': [cfFnId, 'FunctionARN'] });
  assert.deepEqual(b.CachePolicyId, { Ref: resourcesOfType('AWS::CloudFront::CachePolicy')[0][0] });
  assert.deepEqual(b.AllowedMethods, ['GET', 'HEAD']);
  assert.equal(b.TargetOriginId, d.Origins[0]['Fn::If'][1].Id);
  assert.equal(d.Enabled, true);
});

test('S3 origin: regional bucket domain + Origin Access Control + bucket policy scoped to this distribution', () => {
  const m = materialise({ OriginType: 's3', SourceBucketName: 'imgs', SourceBucketRegion: 'eu-west-1' });
  const d = m.Resources.Distribution.Properties.DistributionConfig;
  assert.equal(d.Origins.length, 1);
  const o = d.Origins[0];
  assert.deepEqual(o.DomainName, { 'Fn::Sub': '${SourceBucketName}.s3.${SourceBucketRegion}.amazonaws.com' });
  assert.deepEqual(o.S3OriginConfig, { OriginAccessIdentity: '' }, 'empty OAI when using OAC');
  assert.deepEqual(o.OriginAccessControlId, { 'Fn::GetAtt': ['OriginAccessControl', 'Id'] });
  assert.equal(o.CustomOriginConfig, undefined);
  const oac = m.Resources.OriginAccessControl.Properties.OriginAccessControlConfig;
  assert.equal(oac.OriginAccessControlOriginType, 's3');
  assert.equal(oac.SigningBehavior, 'always');
  assert.equal(oac.SigningProtocol, 'sigv4');
  const [[, bp]] = resourcesOfType('AWS::S3::BucketPolicy', m);
  assert.deepEqual(bp.Properties.Bucket, { Ref: 'SourceBucketName' });
  const [s] = bp.Properties.PolicyDocument.Statement;
  assert.deepEqual(s.Principal, { Service: 'cloudfront.amazonaws.com' });
  assert.deepEqual(asList(s.Action), ['s3:GetObject']);
  assert.deepEqual(s.Resource, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${SourceBucketName}/*' });
  assert.match(s.Condition.StringEquals['AWS:SourceArn']['Fn::Sub'], /:distribution\/\$\{Distribution\}$/);
  // opt-out keeps OAC but leaves the bucket policy to the user
  const keep = materialise({ OriginType: 's3', SourceBucketName: 'imgs', ManageSourceBucketPolicy: 'false' });
  assert.equal(resourcesOfType('AWS::S3::BucketPolicy', keep).length, 0);
  assert.ok(keep.Resources.OriginAccessControl);
});

test('custom origin: no OAC, no bucket policy, protocol from CustomOriginProtocol', () => {
  for (const proto of ['https', 'http']) {
    const m = materialise({ OriginType: 'custom', CustomOriginDomain: 'img.example.org', CustomOriginProtocol: proto });
    assert.equal(resourcesOfType('AWS::CloudFront::OriginAccessControl', m).length, 0);
    assert.equal(resourcesOfType('AWS::S3::BucketPolicy', m).length, 0);
    const [o] = m.Resources.Distribution.Properties.DistributionConfig.Origins;
    assert.deepEqual(o.DomainName, { Ref: 'CustomOriginDomain' });
    assert.equal(o.S3OriginConfig, undefined);
    assert.equal(o.OriginAccessControlId, undefined);
    assert.deepEqual(o.CustomOriginConfig.OriginProtocolPolicy, { 'Fn::Sub': '${CustomOriginProtocol}-only' });
    assert.ok(['http-only', 'https-only'].includes(`${proto}-only`));
    assert.ok(o.CustomOriginConfig.OriginReadTimeout <= 30);
  }
});

test('Origin Shield: off by default; a region turns it on for the origin, S3 or custom; anything else is refused', () => {
  const p = T.Parameters.OriginShieldRegion;
  assert.equal(p.Default, 'off');
  const pattern = new RegExp(p.AllowedPattern);
  for (const ok of ['off', 'us-east-1', 'eu-west-2', 'ap-northeast-1']) assert.match(ok, pattern);
  for (const bad of ['on', 'Off', '', 'us-east', 'eu-west-1a', 'us-east-1 ']) assert.doesNotMatch(bad, pattern, JSON.stringify(bad));
  for (const origin of [{ OriginType: 's3', SourceBucketName: 'imgs' }, { OriginType: 'custom', CustomOriginDomain: 'img.example.org' }]) {
    const [off] = materialise(origin).Resources.Distribution.Properties.DistributionConfig.Origins;
    assert.equal(off.OriginShield, undefined, `${origin.OriginType}: no OriginShield property by default`);
    const [on] = materialise({ ...origin, OriginShieldRegion: 'eu-central-1' }).Resources.Distribution.Properties.DistributionConfig.Origins;
    assert.deepEqual(on.OriginShield, { Enabled: true, OriginShieldRegion: { Ref: 'OriginShieldRegion' } }, origin.OriginType);
  }
  // The property is one the resource specification knows, with the fields it takes.
  const shield = spec.PropertyTypes['AWS::CloudFront::Distribution.OriginShield'];
  assert.ok(shield, 'OriginShield in the CloudFormation specification');
  assert.deepEqual(Object.keys(shield.Properties).sort(), ['Enabled', 'OriginShieldRegion']);
});

// ---------------------------------------------------------------- CloudFront Function
test('CloudFront Function: cloudfront-js-2.0, published, code identical to deploy/viewer-request.js', () => {
  const f = only('AWS::CloudFront::Function').Properties;
  assert.equal(f.FunctionConfig.Runtime, 'cloudfront-js-2.0');
  assert.equal(f.AutoPublish, true);
  const src = functionSource(readFileSync(new URL('../viewer-request.js', import.meta.url), 'utf8'));
  assert.equal(f.FunctionCode, src, 'template FunctionCode drifted from viewer-request.js: run `npm run sync-template` in deploy/');
  assert.match(f.FunctionCode, /^function handler\(event\)/m);
  assert.doesNotMatch(f.FunctionCode, /\b(require|module\.exports|export|import)\b/);
  assert.ok(f.FunctionCode.includes(`'${HEADER}'`));
  assert.ok(Buffer.byteLength(f.FunctionCode) < 10240, 'CloudFront Functions code limit is 10 KB');
});

test('outputs: distribution domain name, function name and log group', () => {
  assert.deepEqual(T.Outputs.DistributionDomainName.Value, { 'Fn::GetAtt': ['Distribution', 'DomainName'] });
  assert.ok(T.Outputs.FunctionName);
  assert.deepEqual(T.Outputs.LogGroupName.Value, { 'Fn::Sub': '/aws/lambda/us-east-1.${EdgeFunction}' });
});
