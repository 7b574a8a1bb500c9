// Where a process's resident memory is, from /proc/self/smaps (Linux): what
// issue 20 asked ("where do the extra MiB of Node 22/24 go"). Anonymous
// mappings carry no name, so they are told apart by shape:
//   wasm memory   a reservation of 1 GiB or more (V8 reserves the whole
//                 addressable range plus guard pages for each wasm memory)
//   code          executable anonymous mappings (V8's JS and wasm code spaces)
//   malloc        [heap] and the other anonymous read-write mappings
//                 (glibc arenas, V8's heap pages, thread stacks, Buffers)
//   files         the node binary, shared libraries, fonts...
import fs from 'node:fs';

const KIB = 1024;

export function residentBreakdown() {
  let text;
  try {
    text = fs.readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return null;
  }
  const sum = { wasmMemory: 0, code: 0, anon: 0, files: 0 };
  let kind = null;
  const maps = [];
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      const size = Number(BigInt(`0x${head[2]}`) - BigInt(`0x${head[1]}`));
      const [perms, inode, name] = [head[3], head[4], head[5]];
      maps.push({ name: name || `[anon ${perms}]`, sizeMiB: +(size / 1048576).toFixed(1), rssMiB: 0 });
      if (inode !== '0' && name.startsWith('/')) kind = 'files';
      else if (size >= 1024 * 1024 * 1024) kind = 'wasmMemory';
      else if (perms.includes('x')) kind = 'code';
      else kind = 'anon';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && kind) { sum[kind] += Number(rss[1]) * KIB; maps[maps.length - 1].rssMiB = +(Number(rss[1]) / 1024).toFixed(1); }
  }
  const mib = (b) => +(b / (1024 * 1024)).toFixed(1);
  const mu = process.memoryUsage();
  return {
    residentMiB: { wasmMemory: mib(sum.wasmMemory), code: mib(sum.code), anon: mib(sum.anon), files: mib(sum.files) },
    top: maps.sort((a, b) => b.rssMiB - a.rssMiB).slice(0, 10),
    v8MiB: { heapTotal: mib(mu.heapTotal), heapUsed: mib(mu.heapUsed), external: mib(mu.external), arrayBuffers: mib(mu.arrayBuffers) },
  };
}
