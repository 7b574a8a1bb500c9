// deploy/sign.mjs: the same signatures as the C++ (tests/native/test_signing.cpp,
// cross-checked there with Python's hmac) for every spelling of a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signUrl } from '../sign.mjs';

const CAT = 'ZE41MivAywZDG7ymfi_K7Dq_ZL26MxWhD_Ii5DnOwKw';

test('signs the canonical query: every spelling gets the C++ test vector', () => {
  for (const target of ['/photos/cat.jpg?w=400&format=auto&utm=x', '/photos/cat.jpg?fm=auto&width=%34%30%30&dpr=1.0',
    '/photos/cat.jpg?format=auto&w=400&sig=old']) {
    const r = signUrl(target, 'secret');
    assert.equal(r.sig, CAT, target);
    assert.equal(r.stringToSign, '/photos/cat.jpg?w=400&format=auto');
    assert.equal(r.url, `/photos/cat.jpg?w=400&format=auto&sig=${CAT}`);
  }
  assert.equal(signUrl('/photos/my%20cat.jpg?width=400&h=300&fit=contain&bg=fff', 'secret').sig,
    'QUTS_siH6oVLUL9upLxthD3cvs5kM-5q_XNBMhBxHck');
  assert.equal(signUrl('/photos/cat.jpg?w=401&format=auto', 'secret').sig === CAT, false);
});

test('command line: prints the signed URL; usage errors exit 2', () => {
  const script = fileURLToPath(new URL('../sign.mjs', import.meta.url));
  assert.equal(execFileSync(process.execPath, [script, '/photos/cat.jpg?width=400&format=auto', 'secret'], { encoding: 'utf8' }),
    `/photos/cat.jpg?w=400&format=auto&sig=${CAT}\n`);
  assert.throws(() => execFileSync(process.execPath, [script, 'no-slash'], { stdio: 'pipe' }), (e) => e.status === 2);
});

test('exp: added, replaced and signed like any parameter', () => {
  const plain = signUrl('/photos/cat.jpg?w=400&exp=1800000600', 'secret');
  assert.equal(plain.stringToSign, '/photos/cat.jpg?w=400&exp=1800000600');
  assert.deepEqual(signUrl('/photos/cat.jpg?w=400', 'secret', { exp: 1800000600 }), plain);
  assert.deepEqual(signUrl('/photos/cat.jpg?exp=5&w=400', 'secret', { exp: 1800000600 }), plain);
  assert.notEqual(signUrl('/photos/cat.jpg?w=400&exp=1800000601', 'secret').sig, plain.sig);
});

test('command line: --config picks a key by --key (rotation), --exp / --expires-in add exp', async (t) => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(tmpdir(), 'sign-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const rotated = path.join(dir, 'rotated.json');
  const single = path.join(dir, 'single.json');
  writeFileSync(rotated, JSON.stringify({ signing: { keys: { '2026-12': 'old', '2027-01': 'new' } } }));
  writeFileSync(single, JSON.stringify({ signing: { key: 'secret' } }));
  const script = fileURLToPath(new URL('../sign.mjs', import.meta.url));
  const run = (...args) => execFileSync(process.execPath, [script, ...args], { encoding: 'utf8', stdio: 'pipe' }).trim();
  const target = '/photos/cat.jpg?width=400';
  assert.equal(run(target, '--config', rotated, '--key', '2027-01', '--exp', '1800000600'),
    signUrl(`${target}&exp=1800000600`, 'new').url);
  assert.equal(run(target, '--config', rotated, '--key', '2026-12'), signUrl(target, 'old').url);
  assert.equal(run(target, '--config', single), signUrl(target, 'secret').url);
  const before = Math.floor(Date.now() / 1000);
  const url = run(target, 'secret', '--expires-in', '3600');
  const exp = Number(/exp=(\d+)/.exec(url)[1]);
  assert.ok(exp >= before + 3600 && exp <= Math.floor(Date.now() / 1000) + 3600, url);
  assert.equal(url, signUrl(target, 'secret', { exp }).url);
  // Several keys and no --key, an unknown name, bad seconds: usage errors (exit 2), naming the problem.
  for (const args of [[target, '--config', rotated], [target, '--config', rotated, '--key', 'nope'],
    [target, 'secret', '--exp', '-1'], [target, 'secret', '--expires-in', '1e3'], [target, 'secret', '--key', 'a'],
    [target, 'secret', '--exp', '1', '--expires-in', '1']]) {
    assert.throws(() => run(...args), (e) => e.status === 2 && /sign\.mjs: /.test(e.stderr), args.join(' '));
  }
});
