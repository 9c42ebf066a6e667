// Makes `npm ci` accept a package-lock.json written on this machine.
// The registry here has no other-platform builds (@pagefind/darwin-arm64, @astrojs/compiler-binding-*, ...),
// so `npm install` leaves them out of the lock while `npm ci`'s validation still expects them.
// Run after every `npm install` that changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const r = spawnSync('npm', ['ci', '--dry-run'], { encoding: 'utf8' });
const missing = [...`${r.stdout}${r.stderr}`.matchAll(/Missing: (\S+?)@\S* from lock file/g)].map((m) => m[1]);
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let added = 0;
for (const name of missing) {
  const parent = Object.values(lock.packages).find((e) => e.optionalDependencies?.[name]);
  const key = `node_modules/${name}`;
  if (!parent || lock.packages[key]) continue;
  lock.packages[key] = { version: parent.optionalDependencies[name].replace(/^[\^~=]/, ''), ...(parent.dev ? { dev: true } : {}), optional: true };
  added++;
}
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(`fix-lock: ${missing.length} missing, ${added} added`);
