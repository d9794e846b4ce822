// Runs a synthesizer command to completion without fork(): libc's posix_spawnp (through koffi),
// which glibc implements with clone(CLONE_VM | CLONE_VFORK). Node's execFileSync forks, and a
// fork copies the page tables of the whole builder, whose corpus grows past a gigabyte: measured
// (/bin/true, this machine) 0.9 ms per run from an empty process, 12 ms holding 500 MB, 30 ms
// holding 1.5 GB. The English corpus runs the synthesizers thousands of times (Flite once per
// item), so that was most of its synthesis time. Output goes to a file the caller names; the
// child's stdout and stderr go to /dev/null.

import koffi from 'koffi';

interface Libc {
  spawnp: (pid: number[], file: string, actions: Buffer, attr: null, argv: (string | null)[], envp: (string | null)[]) => number;
  actionsInit: (actions: Buffer) => number;
  actionsAddOpen: (actions: Buffer, fd: number, path: string, flags: number, mode: number) => number;
  actionsDestroy: (actions: Buffer) => number;
  waitpid: (pid: number, status: number[], options: number) => number;
}

let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const so = koffi.load('libc.so.6');
  libc = {
    spawnp: so.func('int posix_spawnp(_Out_ int *pid, const char *file, void *file_actions, void *attrp, const char **argv, const char **envp)'),
    actionsInit: so.func('int posix_spawn_file_actions_init(void *file_actions)'),
    actionsAddOpen: so.func('int posix_spawn_file_actions_addopen(void *file_actions, int fd, const char *path, int oflag, uint32_t mode)'),
    actionsDestroy: so.func('int posix_spawn_file_actions_destroy(void *file_actions)'),
    waitpid: so.func('int waitpid(int pid, _Out_ int *status, int options)'),
  } as Libc;
  return libc;
}

const O_WRONLY = 1;
const EINTR = 4;

/** Runs `command` (looked up on PATH) with `args`; throws unless it exits with status 0. */
export function runQuietly(command: string, args: readonly string[]): void {
  const c = load();
  // posix_spawn_file_actions_t is 80 bytes in glibc (x86_64 and aarch64); room to spare
  const actions = Buffer.alloc(256);
  if (c.actionsInit(actions) !== 0) throw new Error('posix_spawn_file_actions_init failed');
  try {
    c.actionsAddOpen(actions, 1, '/dev/null', O_WRONLY, 0);
    c.actionsAddOpen(actions, 2, '/dev/null', O_WRONLY, 0);
    const env = Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`);
    const pid = [0];
    const err = c.spawnp(pid, command, actions, null, [command, ...args, null], [...env, null]);
    if (err !== 0) throw new Error(`could not start ${command} (errno ${err})`);
    const status = [0];
    let r: number;
    do r = c.waitpid(pid[0] as number, status, 0);
    while (r === -1 && koffi.errno() === EINTR);
    if (r !== pid[0]) throw new Error(`waitpid for ${command} failed (errno ${koffi.errno()})`);
    const s = status[0] as number;
    const signal = s & 0x7f;
    if (signal !== 0) throw new Error(`${command} was killed by signal ${signal}`);
    const code = (s >> 8) & 0xff;
    if (code !== 0) throw new Error(`${command} exited with status ${code}`);
  } finally {
    c.actionsDestroy(actions);
  }
}
