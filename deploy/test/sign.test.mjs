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
