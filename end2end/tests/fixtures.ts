import { test as base, expect, Browser, BrowserContext, Page } from '@playwright/test';

// Every spec imports `test` from here, never from @playwright/test: a WASM panic, a hydration
// mismatch or any other console error fails the test that caused it, even when the page still
// looks right (with panic = "abort" the app is dead after the first one).

type Options = {
  /** Console errors a test provokes on purpose (e.g. Chromium's line for an expected 404). */
  allowedConsoleErrors: RegExp[];
};

type Fixtures = {
  failOnPageErrors: void;
};

export const test = base.extend<Options & Fixtures>({
  allowedConsoleErrors: [[], { option: true }],

  failOnPageErrors: [
    async ({ context, browser, allowedConsoleErrors }, use) => {
      const problems: string[] = [];
      const watchPage = (page: Page) => {
        page.on('pageerror', (e) => problems.push(`uncaught error on ${page.url()}: ${e.message}`));
        page.on('console', (m) => {
          if (m.type() !== 'error') return;
          const text = m.text();
          if (allowedConsoleErrors.some((re) => re.test(text))) return;
          problems.push(`console error on ${page.url()}: ${text}`);
        });
      };
      const watchContext = (ctx: BrowserContext) => {
        ctx.pages().forEach(watchPage);
        ctx.on('page', watchPage);
      };
      watchContext(context);
      // Tests that open a second visitor (browser.newContext / newPage) are watched too.
      const b = browser as Browser;
      const newContext = b.newContext.bind(b);
      const newPage = b.newPage.bind(b);
      b.newContext = async (...args: Parameters<Browser['newContext']>) => {
        const ctx = await newContext(...args);
        watchContext(ctx);
        return ctx;
      };
      b.newPage = async (...args: Parameters<Browser['newPage']>) => {
        const page = await newPage(...args);
        watchPage(page);
        return page;
      };
      try {
        await use();
        // A panic can come a moment after the last assertion (a timer, a late server answer).
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        b.newContext = newContext;
        b.newPage = newPage;
      }
      expect(problems, 'page errors and console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Chromium logs every non-2xx document or fetch as a console error; for tests that expect one. */
export const NOT_FOUND_LOG = /Failed to load resource: the server responded with a status of 404/;
