import { test, expect } from './fixtures';
import { DEMO_ADMIN, DEMO_CUSTOMER, hydrated, logIn } from './helpers';
import type { Page } from '@playwright/test';

// Every page is a lazy route with its own WASM chunk (README "How to add a page"). These tests
// check what a visitor downloads and that navigating into a chunk that is not loaded yet works.

/** Every .wasm file the page fetched, by file name. */
function recordWasm(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) seen.push(path.split('/').pop() as string);
  });
  return seen;
}

test('the log-in page downloads the shell and its own chunk, and no admin code', async ({ page }) => {
  const fetched = recordWasm(page);
  await page.goto('/login');
  await hydrated(page);
  // Route chunks are named after their route (split___<route>_view_...); shared code is in
  // numbered chunks. The page's own chunk came, no other page's did.
  // (Response events can reach the test a moment after the page has hydrated.)
  const routes = () => fetched.filter((f) => f.startsWith('split___')).map((f) => f.replace(/_view_.*/, ''));
  await expect.poll(routes).toContain('split___login_route');
  expect(routes(), fetched.join(' ')).toEqual(['split___login_route']);
  expect(fetched.some((f) => /^apm-portal\..*\.wasm$|^apm-portal\.wasm$/.test(f))).toBe(true);
});

test('a customer moves between split pages in the browser without reloading', async ({ page }) => {
  await logIn(page, DEMO_CUSTOMER);

  // From here on every move is a client-side navigation that first loads the page's chunk.
  const fetched = recordWasm(page);
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  await page.locator('[data-test=project-list] a.card-title').first().click();
  await expect(page).toHaveURL(/\/projects\/\d+/);
  await expect(page.locator('[data-test=plan]')).toBeVisible();

  await page.click('nav.nav a[href="/account"]');
  await expect(page).toHaveURL(/\/account/);
  await expect(page.locator('h1')).toBeVisible();

  await page.click('nav.nav a[href="/dashboard"]');
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.locator('[data-test=project-list]')).toBeVisible();

  // Still the same document (no full reload), and each page's chunk came in on the way.
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  const routes = () => fetched.filter((f) => f.startsWith('split___')).map((f) => f.replace(/_view_.*/, ''));
  await expect.poll(routes).toEqual(expect.arrayContaining(['split___project_route', 'split___account_route']));
  expect(routes().indexOf('split___project_route')).toBeLessThan(routes().indexOf('split___account_route'));
});

test('staff move between staff pages in the browser, each path showing its own page from the one staff chunk', async ({ page }) => {
  await logIn(page, DEMO_ADMIN);
  await expect(page.locator('h1')).toHaveText('관리자');

  // Every staff path is one lazy route (pages/admin/area.rs): client-side moves between them
  // must still show the page of the new path, not the one the area was first built for.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
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
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
});
