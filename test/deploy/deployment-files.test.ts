// The deployment files, checked without Docker (no engine on the machines that run the tests):
// the compose files parse, refer only to services, settings and commands that exist, and the
// Dockerfile builds in stages and runs as an unprivileged user. That the images build and the
// stack starts is not tested here (see docs/deployment.md).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Already installed with @fastify/swagger (a dependency): no new dependency for a test.
import { parse } from 'yaml';
import { environmentVariables } from '../../src/config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): Promise<string> => readFile(`${ROOT}${path}`, 'utf8');
const run = promisify(execFile);

const COMPOSE_FILES = [
  'docker-compose.yml',
  'deploy/reliable/docker-compose.yml',
  'deploy/processing/docker-compose.yml',
];

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  ports?: string[];
  volumes?: string[];
}

async function compose(path: string): Promise<Record<string, Service>> {
  // Compose files share settings through YAML merge keys (`<<: *anchor`).
  const document = parse(await read(path), { merge: true }) as {
    services: Record<string, Service>;
  };
  expect(document.services, path).toBeTypeOf('object');
  return document.services;
}

const isStreamScout = (service: Service): boolean =>
  service.image?.startsWith('streamscout:') ?? false;

let commandList: Promise<string[]> | undefined;
/** The subcommands `streamscout --help` lists (asked once: starting the CLI takes seconds). */
function cliCommands(): Promise<string[]> {
  commandList ??= listCommands();
  return commandList;
}

async function listCommands(): Promise<string[]> {
  const { stdout } = await run(process.execPath, [`${ROOT}bin/streamscout.js`, '--help']);
  const commands = stdout.split('Commands:')[1] ?? '';
  return [...commands.matchAll(/^ {2}([a-z]+)/gm)].map((match) => match[1]!);
}

describe.each(COMPOSE_FILES)('%s', (path) => {
  it('gives Stream Scout only settings it reads, and the roles the CLI has', async () => {
    const services = await compose(path);
    const known = new Set(environmentVariables());
    const commands = new Set(await cliCommands());
    const ours = Object.entries(services).filter(([, service]) => isStreamScout(service));
    expect(ours.length).toBeGreaterThan(0);
    for (const [name, service] of ours) {
      for (const variable of Object.keys(service.environment ?? {}))
        expect(known, `${path}: ${name} sets ${variable}`).toContain(variable);
      expect(service.command, `${path}: ${name}'s command`).toHaveLength(1);
      expect(commands, `${path}: ${name} runs`).toContain(service.command![0]);
      // The token file is rewritten on refresh: its folder is mounted read-write.
      expect(service.volumes, `${path}: ${name}`).toContain('./secrets:/app/secrets');
    }
  });

  it('waits only for services it defines, each with a way to tell it is up', async () => {
    const services = await compose(path);
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = services[dependency];
        expect(target, `${path}: ${name} depends on ${dependency}`).toBeDefined();
        if (condition === 'service_healthy')
          expect(
            target!.healthcheck?.test,
            `${path}: ${dependency} needs a healthcheck`,
          ).toBeDefined();
        else expect(condition).toBe('service_completed_successfully');
      }
    }
  });
});

describe('the compose stacks', () => {
  it('runs the full stack on one host: Kafka, PostgreSQL 17, monitor, two processors, serve, Prometheus, Grafana', async () => {
    const services = await compose('docker-compose.yml');
    expect(services.kafka?.image).toMatch(/^apache\/kafka:/);
    expect(services.kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services.postgres?.image).toBe('postgres:17');
    expect(services.monitor?.command).toEqual(['monitor']);
    expect(services.process?.command).toEqual(['process']);
    expect(await read('docker-compose.yml')).toMatch(/replicas: \$\{PROCESSORS:-2\}/);
    expect(services.serve?.command).toEqual(['serve']);
    expect(services.serve?.ports).toContain('${HTTP_PUBLISH:-5000}:5000');
    expect(services.prometheus).toBeDefined();
    expect(services.grafana).toBeDefined();
  });

  it("splits the two machines: users reach A, B does the work on A's Kafka and PostgreSQL", async () => {
    const reliable = await compose('deploy/reliable/docker-compose.yml');
    const processing = await compose('deploy/processing/docker-compose.yml');
    expect(Object.keys(reliable).sort()).toEqual(
      ['grafana', 'kafka', 'migrate', 'postgres', 'prometheus', 'serve'].sort(),
    );
    expect(Object.keys(processing).sort()).toEqual(['monitor', 'process']);
    for (const service of Object.values(processing)) {
      expect(String(service.environment?.KAFKA_BROKERS)).toMatch(/^\$\{RELIABLE_HOST/);
      expect(String(service.environment?.DATABASE_URL)).toContain('@${RELIABLE_HOST');
    }
  });

  it('runs the Kafka version the tests run (scripts/kafka/pom.xml)', async () => {
    const version = /<kafka\.version>([^<]+)</.exec(await read('scripts/kafka/pom.xml'))?.[1];
    for (const path of ['docker-compose.yml', 'deploy/reliable/docker-compose.yml'])
      expect((await compose(path)).kafka?.image).toBe(`apache/kafka:\${KAFKA_VERSION:-${version}}`);
  });

  it('documents every variable the compose files read, in .env.example', async () => {
    const example = await read('.env.example');
    const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    for (const path of COMPOSE_FILES) {
      for (const [, variable] of (await read(path)).matchAll(/\$\{([A-Z][A-Z0-9_]*)/g))
        expect(documented, `${path} reads ${variable}`).toContain(variable);
    }
    // And what it lists for Stream Scout is a setting Stream Scout reads.
    const deployment = example.split('# ---- Stream Scout')[1] ?? '';
    for (const [, variable] of deployment.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm))
      expect(environmentVariables()).toContain(variable);
  });
});

describe('Prometheus and Grafana', () => {
  it('scrapes the roles of the stack it runs in', async () => {
    const single = parse(await read('deploy/prometheus/prometheus.yml')) as {
      scrape_configs: { job_name: string }[];
    };
    const jobs = single.scrape_configs.map((job) => job.job_name);
    expect(jobs).toEqual(expect.arrayContaining(['serve', 'monitor', 'process']));
    const reliable = parse(await read('deploy/reliable/prometheus.yml')) as typeof single;
    expect(reliable.scrape_configs.map((job) => job.job_name)).toEqual(jobs);
  });

  it('charts only metrics that Stream Scout exports', async () => {
    const dashboard = JSON.parse(await read('deploy/grafana/dashboards/streamscout.json')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const sources = (
      await Promise.all(
        [
          'src/ops/metrics.ts',
          'src/sources/twitch/twitch-metrics.ts',
          'src/clips/clip-metrics.ts',
        ].map(read),
      )
    ).join('\n');
    const exported = new Set([...sources.matchAll(/name: '([a-z_]+)'/g)].map((m) => m[1]!));
    const charted = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap(({ expr }) => [...expr.matchAll(/\b([a-z]+(?:_[a-z]+)+)\b/g)]),
    );
    const names = charted
      .map((match) => match[1]!.replace(/_(bucket|sum|count)$/, ''))
      .filter((name) => /_(total|records|seconds|channels|clients)$/.test(name));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(exported, `dashboard charts ${name}`).toContain(name);
  });
});

describe('Dockerfile', () => {
  it('builds in stages and runs the CLI as an unprivileged user', async () => {
    const dockerfile = await read('Dockerfile');
    const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-\S*slim$/m);
    const runtime = dockerfile.slice(stages.at(-1)!.index);
    const user = /^USER\s+(\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(runtime).toMatch(/npm ci --omit=dev|--from=deps \/app\/node_modules/);
    expect(runtime).toContain('--from=build /app/dist/web');
    expect(runtime).toContain('ENTRYPOINT ["node", "bin/streamscout.js"]');
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/npm run build:web/);
  });

  it('keeps secrets and local state out of the build context', async () => {
    const ignore = (await read('.dockerignore')).split('\n');
    // Everything is excluded, then only what the image needs is let back in.
    expect(ignore).toContain('*');
    const allowed = ignore.filter((line) => line.startsWith('!'));
    for (const line of allowed) expect(line).not.toMatch(/secrets|data|\.env|node_modules/);
  });
});
