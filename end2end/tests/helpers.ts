import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export const PASSWORD = 'Valid-pass-2026!';

export function uniqueId(prefix = 'u'): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.slice(0, 20);
}

/**
 * The page has loaded and its islands (the only parts of a page that run in the browser) are
 * live. A page without islands loads no JavaScript or WASM at all (src/bundle.rs); on one with
 * islands lib.rs `hydrate()` marks <body> once the WASM has started, and each island marks its
 * own <leptos-island>. Forms are plain server HTML and post without JavaScript either way.
 */
export async function hydrated(page: Page) {
  await page.waitForFunction(
    () => {
      if (document.readyState !== 'complete') return false;
      const islands = [...document.querySelectorAll('leptos-island')] as HTMLElement[];
      if (islands.length === 0) return true;
      return document.body.dataset.hydrated !== undefined && islands.every((e) => e.dataset.hydrated !== undefined);
    },
    null,
    { timeout: 30_000 },
  );
}

/** The demo log-ins of the e2e portal (it runs with --demo). */
export const DEMO_CUSTOMER = { id: 'demo', password: 'Demo-portal-2026!', landing: /\/dashboard/ };
export const DEMO_ADMIN = { id: 'admin', password: 'Admin-portal-2026!', landing: /\/admin$/ };

/**
 * Logs in through the form and waits until the landing page has hydrated: the URL changes
 * when the log-in starts the full page load, and going on before that page had loaded aborted
 * it half-way (its scripts were then reported on the next page; commit f603b79).
 */
export async function logIn(page: Page, who: { id: string; password: string; landing: RegExp }) {
  await page.goto('/login');
  await hydrated(page);
  await page.fill('#login_id', who.id);
  await page.fill('#password', who.password);
  await page.click('form.form button[type=submit]');
  await expect(page).toHaveURL(who.landing);
  await hydrated(page);
}

export async function fillSignUp(page: Page, id: string, opts: { terms?: boolean; privacy?: boolean; email?: string } = {}) {
  await page.fill('#login_id', id);
  await page.fill('#password', PASSWORD);
  await page.fill('#password_confirm', PASSWORD);
  await page.fill('#name', '홍길동');
  await page.fill('#company', '브라우저 주식회사');
  await page.fill('#email', opts.email ?? `${id}@example.com`);
  await page.fill('#phone', '010-2345-6789');
  if (opts.terms ?? true) await page.check('#agree_terms');
  if (opts.privacy ?? true) await page.check('#agree_privacy');
}

export async function signUp(page: Page, id = uniqueId()): Promise<string> {
  await page.goto('/signup');
  await hydrated(page);
  await fillSignUp(page, id);
  await page.click('#signup-form button[type=submit]');
  await expect(page).toHaveURL(/\/dashboard/);
  return id;
}
