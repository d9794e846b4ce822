// Dockerfile.arm64 cannot be built here (no Docker engine), so it is linted and checked for
// what the deployment relies on: multi-stage, pinned libvosk checksum, non-root, health check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile.arm64'), 'utf8');

describe('Dockerfile.arm64', () => {
  it('passes the dockerfile-utils linter with no problems', () => {
    const problems = validate(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it('builds in stages for linux/arm64 from base images given as build arguments', () => {
    expect(dockerfile).toMatch(/^ARG BUILD_IMAGE=/m);
    expect(dockerfile).toMatch(/^ARG RUNTIME_IMAGE=/m);
    expect(dockerfile.match(/^FROM --platform=linux\/arm64 \$\{(BUILD|RUNTIME)_IMAGE\}/gm)?.length).toBe(3);
  });

  it('downloads libvosk for aarch64 only with a pinned SHA-256 that is checked', () => {
    expect(dockerfile).toMatch(/ARG VOSK_SHA256=[0-9a-f]{64}/);
    expect(dockerfile).toMatch(/sha256sum -c -/);
    expect(dockerfile).toMatch(/SWITCHBOARD_LIBVOSK_PATH=/);
  });

  it('runs as a non-root user with a health check on /healthz', () => {
    expect(dockerfile).toMatch(/^USER switchboard$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*[\s\S]*\/healthz/m);
  });
});

describe('systemd unit', () => {
  const unit = readFileSync(join(root, 'scripts', 'deploy', 'switchboard.service'), 'utf8');
  it.each(['User=switchboard', 'Restart=on-failure', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'StateDirectoryMode=0700', 'ReadWritePaths=/var/lib/switchboard'])('sets %s', (line) => {
    expect(unit).toContain(`\n${line}\n`);
  });
});
