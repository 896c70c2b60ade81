// Peak-memory probe, used by bench.js only where /usr/bin/time is missing:
// loaded with `node --import <this file>`, it writes the process's peak
// resident set size (process.resourceUsage().maxRSS, in KiB) to the file
// named by ROUNDTRIP_RSS_FILE when the process exits normally.
import { writeFileSync } from 'node:fs';

const target = process.env.ROUNDTRIP_RSS_FILE;
if (target !== undefined && target !== '') {
  process.on('exit', () => {
    writeFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
