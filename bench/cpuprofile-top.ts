// Prints the hottest functions of a .cpuprofile written by `node --cpu-prof` (or profile-broker.ts).
// Usage: node bench/cpuprofile-top.ts FILE.cpuprofile [N]
import * as fs from 'node:fs';
import { type CpuProfile, topSelf } from './lib/cpuprofile.ts';

const [file, n] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/cpuprofile-top.ts FILE.cpuprofile [N]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
for (const line of topSelf(profile, Number(n ?? 25))) console.log(line);
