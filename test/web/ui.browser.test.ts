// The dashboard in a real Chromium against the real app: simulator -> pipeline -> PostgreSQL
// -> API -> the UI built by Vite, exactly as `npm start` serves it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamScout } from '../../src/app/stream-scout.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import type { Moment } from '../../src/processing/moment.ts';
import { openStore } from '../../src/storage/postgres-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { moment } from '../support/records.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];
/** The simulator backfills five minutes with planted highlights: the first moments come at once. */
const MOMENT_TIMEOUT_MS = 60_000;

const suite = hasChromium
  ? 'dashboard in Chromium'
  : `dashboard in Chromium: skipped, no browser at ${CHROMIUM} (apt-get install chromium or set CHROMIUM_PATH)`;

describe.skipIf(!hasChromium)(suite, () => {
  let workDir: string;
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof startStreamScout>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: Error[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'streamscout-ui-'));
    const webRoot = join(workDir, 'web');
    await build({
      configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
      logLevel: 'silent',
      build: { outDir: webRoot },
    });
    database = await createTestDatabase();
    app = await startStreamScout(
      loadConfig(
        {},
        {
          httpPort: 0,
          httpHost: '127.0.0.1',
          dataDir: join(workDir, 'data'),
          databaseUrl: database.url,
          simulatorChannels: 8,
          simulatorSeed: 7,
          logLevel: 'silent',
          webRoot,
        },
      ),
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await database?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it(
    'shows live streams, moments as chat erupts, and a stream page with its chart',
    async () => {
      await page.goto(`${app!.url}/`);
      await page.locator('[data-testid="connection-status"][data-status="live"]').waitFor();
      const rows = page.locator('[data-testid="stream-row"]');
      await rows.first().waitFor({ timeout: 30_000 });
      expect(await rows.count()).toBeGreaterThanOrEqual(1);

      const card = page.locator('[data-testid="moment-card"]').first();
      await card.waitFor({ timeout: MOMENT_TIMEOUT_MS });
      expect(await card.locator('.moment-card__summary').innerText()).not.toBe('');

      // A moment saved by another process reaches the open page through NOTIFY and the
      // WebSocket, without a reload.
      const first = rows.first();
      const pushed = await pushMoment(database.url, {
        id: await first.getAttribute('data-channel-id'),
        login: await first.getAttribute('data-channel'),
      });
      const pushedCard = page.locator('[data-testid="moment-card"]', {
        hasText: pushed.explanation.summary,
      });
      await pushedCard.waitFor({ timeout: 15_000 });

      const link = rows.first().locator('a');
      const name = await link.innerText();
      await link.click();
      await page.waitForURL(/#\/streams\//);
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="metrics-chart"] canvas').first().waitFor();
      expect(pageErrors).toEqual([]);
    },
    MOMENT_TIMEOUT_MS + 90_000,
  );
});

async function pushMoment(
  databaseUrl: string,
  channel: { id: string | null; login: string | null },
): Promise<Moment> {
  const { id: channelId, login } = channel;
  if (!channelId || !login)
    throw new Error('stream rows must carry data-channel-id and data-channel');
  const store = await openStore({ url: databaseUrl, logger: silentLogger });
  const start = Date.now() - 10_000;
  const pushed = moment({
    channel_id: channelId,
    channel: login,
    start_ts: start,
    score: 42,
  });
  pushed.explanation.summary = 'pushed while the page was open';
  try {
    await store.saveMoments([pushed]);
  } finally {
    await store.close();
  }
  return pushed;
}
