// Test certificates made with the openssl CLI: a CA, server certificates for
// 127.0.0.1/localhost and client certificates signed by it (mTLS).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

function openssl(args, cwd) {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

// A CA in `dir` under `name`; returns {certPath, keyPath, pem}.
export function makeCa(dir, name = 'ca') {
  const certPath = path.join(dir, `${name}.pem`);
  const keyPath = path.join(dir, `${name}.key`);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=otelstack-test-${name}`,
    '-keyout', keyPath, '-out', certPath]);
  return { certPath, keyPath, pem: readFileSync(certPath) };
}

// A certificate signed by `ca`: kind 'server' (SAN 127.0.0.1, localhost) or
// 'client'. Returns {certPath, keyPath, cert, key} (PEM Buffers too).
export function makeSignedCert(dir, ca, name, kind = 'server') {
  const certPath = path.join(dir, `${name}.pem`);
  const keyPath = path.join(dir, `${name}.key`);
  const csrPath = path.join(dir, `${name}.csr`);
  const extPath = path.join(dir, `${name}.ext`);
  writeFileSync(extPath, kind === 'server'
    ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'
    : 'extendedKeyUsage=clientAuth\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', keyPath, '-out', csrPath]);
  openssl(['x509', '-req', '-in', csrPath, '-CA', ca.certPath, '-CAkey', ca.keyPath, '-CAcreateserial', '-days', '2',
    '-extfile', extPath, '-out', certPath]);
  return { certPath, keyPath, cert: readFileSync(certPath), key: readFileSync(keyPath) };
}

// SHA-256 fingerprint of a PEM certificate, as Node's X509Certificate and
// tls getPeerCertificate().fingerprint256 print it.
export function fingerprint256(certPath) {
  const out = openssl(['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256']);
  return out.trim().split('=')[1];
}
