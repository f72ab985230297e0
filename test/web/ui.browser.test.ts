// The dashboard in a real Chromium against the real app: simulator -> pipeline -> PostgreSQL
// -> API -> the UI built by Vite, exactly as `npm start` serves it. Nothing reaches the
// internet: Chromium resolves no name but loopback, and the clips view's pages refuse every
// request to another host (Twitch's embed among them) and record it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamScout } from '../../src/app/stream-scout.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import type { Moment } from '../../src/processing/moment.ts';
import { openStore, type PostgresStore } from '../../src/storage/postgres-store.ts';
import type { Clip } from '../../src/storage/store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { clip, moment } from '../support/records.ts';

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
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
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
      // It was pushed when it opened: live until its final row replaces it.
      const badge = pushedCard.locator('[data-testid="moment-live"]');
      await badge.waitFor({ timeout: 15_000 });
      await saveMoment(database.url, pushed, 'final');
      await badge.waitFor({ state: 'detached', timeout: 15_000 });
      expect(await pushedCard.count()).toBe(1);

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

  describe('clips view', () => {
    let store: PostgresStore;
    /** Requests the pages tried to send off the machine: refused, never sent. */
    const refused: string[] = [];

    beforeAll(async () => {
      store = await openStore({ url: database.url, logger: silentLogger });
    });
    afterAll(() => store?.close());

    /** A page that only talks to the app; anything else is refused and recorded. */
    async function offlinePage(): Promise<Page> {
      const offline = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      offline.on('pageerror', (error) => pageErrors.push(error));
      await offline.route('**/*', (route) => {
        const { hostname } = new URL(route.request().url());
        if (hostname === '127.0.0.1') return route.continue();
        refused.push(route.request().url());
        return route.abort('blockedbyclient');
      });
      return offline;
    }

    const cards = (on: Page) => on.locator('[data-testid="clip-card"]');
    const cardIds = (on: Page) =>
      cards(on).evaluateAll((all) => all.map((card) => card.getAttribute('data-clip-id')));

    it('tells how clips get made while there are none', async () => {
      const clipsPage = await offlinePage();
      await clipsPage.goto(`${app!.url}/`);
      await clipsPage.getByRole('navigation').getByRole('link', { name: 'Clips' }).click();
      await clipsPage.waitForURL(/#\/clips$/);
      const empty = clipsPage.locator('.empty-state');
      await empty.waitFor();
      expect(await empty.innerText()).toContain(
        'Clips are created automatically when a Twitch user token with clips:edit is configured (run streamscout auth)',
      );
      await clipsPage.close();
    });

    it('lists clips with thumbnails, scrolls for more without repeats, plays one inline, filters in the URL', async () => {
      // 4 clips of bravo (score 6), then 28 of alpha (scores 5, 13, 21, ...), oldest first.
      const stored: Clip[] = [];
      const start = Date.now() - 3_600_000;
      for (let index = 0; index < 32; index += 1) {
        const bravo = index < 4;
        stored.push(
          clip({
            clip_id: `Clip${index}`,
            channel_id: bravo ? '990002' : '990001',
            channel: bravo ? 'clip_bravo' : 'clip_alpha',
            title: `Clip number ${index}`,
            detected_at: start + index * 60_000,
            intensity: bravo ? 6 : 5 + (index % 3) * 8,
            thumbnail_url: thumbnail(index),
          }),
        );
      }
      for (const saved of stored) await store.saveClip(saved);
      const newestFirst = stored.map((c) => c.clip_id).toReversed();

      const clipsPage = await offlinePage();
      await clipsPage.goto(`${app!.url}/#/clips`);
      await cards(clipsPage).nth(23).waitFor();
      expect(await cardIds(clipsPage)).toEqual(newestFirst.slice(0, 24));
      const first = cards(clipsPage).first();
      const thumb = first.locator('img');
      await thumb.evaluate((img: HTMLImageElement) => img.decode());
      expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      expect(await first.getByTestId('clip-peak').innerText()).toBe('Peak at 0:17');
      expect(await first.locator('.clip-card__title').innerText()).toBe('Clip number 31');

      // A clip stored while the list is open does not slip into the next page.
      await store.saveClip(clip({ clip_id: 'ClipArrived', detected_at: Date.now() }));
      await clipsPage.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await cards(clipsPage).nth(31).waitFor();
      await clipsPage.getByText('That is every clip.').waitFor();
      expect(await cardIds(clipsPage)).toEqual(newestFirst);

      // Clicking a card plays it inline; Enter on another's play button plays that one instead.
      await first.click();
      const player = first.locator('iframe');
      await player.waitFor();
      await expectEmbedOf(player, 'Clip31');
      const second = cards(clipsPage).nth(1);
      const secondPlay = second.getByRole('button', { name: 'Play clip: Clip number 30' });
      await secondPlay.focus();
      await clipsPage.keyboard.press('Enter');
      await second.locator('iframe').waitFor();
      expect(await clipsPage.locator('iframe').count()).toBe(1);
      expect(embedParams(await second.locator('iframe').getAttribute('src')).clip).toBe('Clip30');
      // Closing it gives the focus back to its play button.
      await second.getByRole('button', { name: 'Close player' }).click();
      await second.locator('iframe').waitFor({ state: 'detached' });
      expect(await secondPlay.evaluate((button) => button === document.activeElement)).toBe(true);

      // Filters: score, then channel, both in the URL.
      await clipsPage.getByLabel('Show').selectOption('20');
      await clipsPage.waitForURL(/#\/clips\?min_score=20$/);
      await expectCards(clipsPage, (c) => c.intensity >= 20);
      await clipsPage.getByRole('combobox', { name: 'Channel', exact: true }).fill('clip_bravo');
      await clipsPage.getByRole('combobox', { name: 'Channel', exact: true }).press('Enter');
      await clipsPage.waitForURL(/#\/clips\?channel=clip_bravo&min_score=20$/);
      await clipsPage.getByText('No clips match these filters').waitFor();
      await clipsPage.getByLabel('Show').selectOption('');
      await clipsPage.waitForURL(/#\/clips\?channel=clip_bravo$/);
      await expectCards(clipsPage, (c) => c.channel === 'clip_bravo');

      // A shared link opens with its filters.
      const shared = await offlinePage();
      await shared.goto(`${app!.url}/#/clips?channel=990001&min_score=10`);
      await expectCards(shared, (c) => c.channel === 'clip_alpha' && c.intensity >= 10);
      expect(
        await shared.getByRole('combobox', { name: 'Channel', exact: true }).inputValue(),
      ).toBe('990001');
      expect(await shared.getByLabel('Show').inputValue()).toBe('10');

      // The embeds were the only requests meant for another host, and none left the browser.
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((url) => url.startsWith('https://clips.twitch.tv/embed?'))).toBe(true);
      expect(pageErrors).toEqual([]);
      await shared.close();
      await clipsPage.close();

      async function expectCards(on: Page, keep: (c: Clip) => boolean) {
        const expected = stored.filter(keep).map((c) => c.clip_id);
        await expect.poll(() => cardIds(on), { timeout: 15_000 }).toEqual(expected.toReversed());
      }
    }, 90_000);

    it("shows a moment's clip on its card and plays it inline; a clip stored later joins its card", async () => {
      const home = await offlinePage();
      await home.goto(`${app!.url}/`);
      await home.locator('[data-testid="connection-status"][data-status="live"]').waitFor();
      const card = (shown: Moment) => home.locator(`[data-moment-id="${shown.id}"]`);

      // Stored with its clip while the page is open: it arrives on the live feed with it.
      const clipped = momentOf('clip_delta', 'a moment with its clip', 1_000);
      await store.saveMoments([clipped]);
      await store.saveClip(clipFor(clipped, 'MomentClip1'));
      const watch = card(clipped).getByRole('button', { name: 'Watch clip' });
      await watch.waitFor({ timeout: 15_000 });
      expect(await card(clipped).getByTestId('clip-peak').innerText()).toBe('Peak at 0:17');
      const thumb = card(clipped).locator('img');
      await thumb.evaluate((img: HTMLImageElement) => img.decode());
      expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

      await watch.click();
      const player = card(clipped).locator('iframe');
      await player.waitFor();
      await expectEmbedOf(player, 'MomentClip1');
      await card(clipped).getByRole('button', { name: 'Close player' }).click();
      await player.waitFor({ state: 'detached' });
      const playAgain = card(clipped).getByRole('button', { name: 'Watch clip' });
      expect(await playAgain.evaluate((button) => button === document.activeElement)).toBe(true);

      // Shown without a clip first: the clip stored afterwards appears on the same card.
      const later = momentOf('clip_delta', 'a moment clipped while the page is open', 2_000);
      await store.saveMoments([later]);
      await card(later).waitFor({ timeout: 15_000 });
      expect(await card(later).getByTestId('moment-clip').count()).toBe(0);
      await store.saveClip(clipFor(later, 'MomentClip2'));
      await card(later).getByRole('button', { name: 'Watch clip' }).waitFor({ timeout: 15_000 });
      expect(await card(later).count()).toBe(1);
      expect(await card(clipped).count()).toBe(1);

      expect(refused.every((url) => url.startsWith('https://clips.twitch.tv/embed?'))).toBe(true);
      expect(pageErrors).toEqual([]);
      await home.close();
    }, 60_000);
  });
});

/** The newest moment of a channel of its own (no simulated moment is newer). */
function momentOf(login: string, summary: string, aheadMs: number): Moment {
  const made = moment({
    channel_id: '990004',
    channel: login,
    start_ts: Date.now() + aheadMs,
    score: 40,
  });
  made.explanation.summary = summary;
  return made;
}

function clipFor(of: Moment, clipId: string): Clip {
  return clip({
    clip_id: clipId,
    moment_id: of.id,
    channel_id: of.channel_id,
    channel: of.channel,
    detected_at: of.peak_ts,
    thumbnail_url: thumbnail(clipId.length),
  });
}

/** A small SVG of its own colour per clip: a thumbnail that needs no network. */
function thumbnail(index: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="272"><rect width="480" height="272" fill="hsl(${(index * 37) % 360} 60% 40%)"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

function embedParams(src: string | null): Record<string, string> {
  const url = new URL(src ?? '');
  return { origin: url.origin, ...Object.fromEntries(url.searchParams) };
}

/** The player plays that clip in Twitch's embed, for this page's hostname, at once. */
async function expectEmbedOf(player: Locator, clipId: string): Promise<void> {
  expect(embedParams(await player.getAttribute('src'))).toEqual({
    origin: 'https://clips.twitch.tv',
    clip: clipId,
    parent: '127.0.0.1',
    autoplay: 'true',
  });
}

async function pushMoment(
  databaseUrl: string,
  channel: { id: string | null; login: string | null },
): Promise<Moment> {
  const { id: channelId, login } = channel;
  if (!channelId || !login)
    throw new Error('stream rows must carry data-channel-id and data-channel');
  const start = Date.now() - 10_000;
  const pushed = moment({
    channel_id: channelId,
    channel: login,
    start_ts: start,
    score: 42,
  });
  pushed.explanation.summary = 'pushed while the page was open';
  await saveMoment(databaseUrl, pushed, 'live');
  return pushed;
}

/** Saves a moment as another process would: live while it is open, final when it ends. */
async function saveMoment(databaseUrl: string, saved: Moment, as: 'live' | 'final'): Promise<void> {
  const store = await openStore({ url: databaseUrl, logger: silentLogger });
  try {
    if (as === 'live') await store.saveMoments([], [saved]);
    else await store.saveMoments([saved]);
  } finally {
    await store.close();
  }
}
