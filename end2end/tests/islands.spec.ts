import { test, expect } from './fixtures';
import { DEMO_ADMIN, DEMO_CUSTOMER, hydrated, logIn } from './helpers';
import type { Page } from '@playwright/test';

// Pages are server HTML; only `#[island]` components run in the browser, and a page without
// one loads no JavaScript or WASM (README "How a page is built", src/bundle.rs). These tests
// check what a visitor downloads, that islands come alive, and that moving between pages with
// ordinary links shows each page whole.

/** Every script and WASM file the page fetched, by file name, with its size as delivered. */
function recordCode(page: Page): { name: string; bytes: number }[] {
  const seen: { name: string; bytes: number }[] = [];
  page.on('response', async (r) => {
    const path = new URL(r.url()).pathname;
    if (!/\.(wasm|js)$/.test(path)) return;
    const body = await r.body().catch(() => Buffer.alloc(0));
    seen.push({ name: path.split('/').pop() as string, bytes: body.length });
  });
  return seen;
}

test('the log-in page and the dashboard load no JavaScript or WASM', async ({ page }) => {
  const fetched = recordCode(page);
  await page.goto('/login');
  await hydrated(page);
  await expect(page.locator('leptos-island')).toHaveCount(0);
  await logIn(page, DEMO_CUSTOMER);
  await expect(page.locator('[data-test=project-list]')).toBeVisible();
  // Idle time has passed (the loader waits for it) and still nothing came.
  await page.waitForTimeout(500);
  expect(fetched.map((f) => f.name)).toEqual([]);
});

test('the sign-up page loads one small WASM module, and its checklist comes alive', async ({ page }) => {
  const fetched = recordCode(page);
  await page.goto('/signup');
  await hydrated(page);
  await expect(page.locator('leptos-island')).toHaveCount(1);
  await expect.poll(() => fetched.filter((f) => f.name.endsWith('.wasm')).length).toBe(1);
  const wasm = fetched.filter((f) => f.name.endsWith('.wasm'));
  expect(wasm[0].name).toMatch(/^apm-portal(\.[\w-]+)?\.wasm$/);
  // The whole application was 2.7 MB of WASM before islands; page code creeping back into
  // the islands bundle would show here first.
  expect(wasm[0].bytes, `${wasm[0].name}: ${wasm[0].bytes} bytes`).toBeLessThan(600_000);
  await page.fill('#password', 'abc');
  await expect(page.locator('#password-rules li[data-rule="has_letter"]')).toHaveClass(/ok/);
});

test('a customer moves between pages with ordinary links, each shown whole, and back', async ({ page }) => {
  await logIn(page, DEMO_CUSTOMER);
  await page.locator('[data-test=project-list] a.card-title').first().click();
  await expect(page).toHaveURL(/\/projects\/\d+/);
  await expect(page.locator('[data-test=plan]')).toBeVisible();

  await page.click('nav.nav a[href="/account"]');
  await expect(page).toHaveURL(/\/account/);
  await expect(page.locator('h1')).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(/\/projects\/\d+/);
  await expect(page.locator('[data-test=plan]')).toBeVisible();

  await page.click('nav.nav a[href="/dashboard"]');
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.locator('[data-test=project-list]')).toBeVisible();
  await hydrated(page);
});

test('staff move between staff pages, each path showing its own page', async ({ page }) => {
  await logIn(page, DEMO_ADMIN);
  await expect(page.locator('h1')).toHaveText('관리자');
  await page.click('.subnav a[href="/admin/audit"]');
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.locator('h1')).toHaveText('감사 로그');
  await page.click('.subnav a[href="/admin/sla"]');
  await expect(page).toHaveURL(/\/admin\/sla$/);
  await expect(page.locator('h1')).toHaveText('SLA 운영');
  await page.click('.subnav a[href="/admin/projects"]');
  await expect(page.locator('h1')).toHaveText('프로젝트');
  await page.goBack();
  await expect(page).toHaveURL(/\/admin\/sla$/);
  await expect(page.locator('h1')).toHaveText('SLA 운영');
  await hydrated(page);
});
