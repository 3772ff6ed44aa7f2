// Playwright against Debian's Chromium (never `playwright install`): every
// spec runs at phone width (360 px) and desktop width (1280 px).
import { defineConfig } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.mjs$/,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: Number(process.env.AY_E2E_WORKERS || 2),
  retries: 0,
  reporter: [['list']],
  outputDir: '../../build/e2e-results',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.AY_CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS },
    locale: 'es-PE',
    timezoneId: 'America/Lima',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'phone', use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } },
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
  ],
});
