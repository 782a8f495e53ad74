import { test, expect } from './fixtures';
import { DEMO_ADMIN, DEMO_CUSTOMER, hydrated, logIn } from './helpers';

// The e2e portal runs with --demo: the demo customer's paid project "demo-pay" has a month
// with a 90-minute outage whose first 30 minutes fell in an announced maintenance window,
// and its statement; the demo admin may publish maintenance windows like operations staff.
test('a customer goes from the project page to a statement and sees the outage and the maintenance window on its timeline', async ({ page }) => {
  await logIn(page, DEMO_CUSTOMER);
  const list = await (await page.request.get('/api/v1/projects')).json();
  const project = list.items.find((p: { prefix: string }) => p.prefix === 'demo-pay');
  expect(project).toBeTruthy();
  await page.goto(`/projects/${project.id}`);
  await hydrated(page);
  // The project page links its statements; the list links each month's statement.
  await page.click('[data-test=sla-link]');
  await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/sla$`));
  const rows = page.locator('[data-test=statements] tbody tr');
  await expect(rows.first()).toBeVisible();
  // The outage month is the oldest statement.
  await rows.last().locator('a').first().click();
  await expect(page).toHaveURL(/\/sla\/\d{4}-\d{2}$/);
  await expect(page.locator('[data-test=outage-minutes]')).toHaveText('60');
  await expect(page.locator('[data-test=excluded-minutes]')).toHaveText('30');
  const timeline = page.locator('[data-test=timeline]');
  await expect(timeline).toHaveAttribute('role', 'img');
  await expect(timeline).toHaveAttribute('aria-label', /타임라인/);
  const down = timeline.locator('rect[data-kind=tl-down]').first();
  await expect(down).toBeVisible();
  await expect(timeline.locator('rect[data-kind=tl-excluded]').first()).toBeVisible();
  await expect(page.locator('[data-test=exclusions] tr[data-kind=maintenance]')).toHaveCount(1);
  await expect(page.locator('[data-test=credit]')).not.toHaveText('0 KRW');

  // Readable where it is drawn, on the phone above all: each day row is a bar of its own with
  // the date as text at the page's size, not a 1,500-unit drawing scaled to the screen.
  const day = page.locator('[data-test=timeline-day]').first();
  const dayBox = (await day.boundingBox())!;
  const barBox = (await day.locator('svg').boundingBox())!;
  expect(dayBox.height).toBeGreaterThanOrEqual(8);
  expect(barBox.height).toBeGreaterThanOrEqual(8);
  expect(barBox.width).toBeGreaterThanOrEqual(250);
  for (const label of [day.locator('.tl-date'), timeline.locator('.tl-scale span').first()]) {
    const size = await label.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(size).toBeGreaterThanOrEqual(10);
  }
  const days = await page.locator('[data-test=timeline-day]').count();
  expect(days >= 28 && days <= 31, `${days} day rows`).toBe(true);
  expect((await down.boundingBox())!.width).toBeGreaterThanOrEqual(2);
  // Nothing wider than the screen: the whole month fits without scrolling sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  await page.click('[data-test=print-link]');
  await expect(page).toHaveURL(/\/print/);
  await expect(page.locator('[data-test=statement]')).toBeVisible();
  // Printed, the page is the statement alone: no site header, navigation or footer.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.site-header nav.nav')).toBeHidden();
  await expect(page.locator('.site-footer')).toBeHidden();
  await expect(page.locator('[data-test=statement]')).toBeVisible();
  await expect(page.locator('[data-test=figures]')).toBeVisible();
  await expect(page.locator('[data-test=timeline]')).toBeVisible();
});

test('operations staff publish a maintenance window, and a bad one is refused beside its field', async ({ page }) => {
  await logIn(page, DEMO_ADMIN);
  await page.goto('/admin/sla');
  await hydrated(page);
  const form = page.locator('[data-test=window-form]');
  await form.locator('#w-start').fill('2031-05-01T03:00');
  await form.locator('#w-end').fill('2031-05-01T02:00');
  await form.locator('#w-notice').fill('잘못된 점검');
  await form.locator('button[type=submit]').click();
  await expect(page.locator('#w-end-error')).toContainText('종료는 시작보다 늦어야 합니다.');
  await form.locator('#w-end').fill('2031-05-01T05:00');
  await form.locator('#w-notice').fill('정기 점검 2031');
  await form.locator('button[type=submit]').click();
  await expect(form.locator('.notice-success')).toContainText('점검 일정을 공지했습니다.');
  await expect(page.locator('[data-test=windows]')).toContainText('정기 점검 2031');
});

test('operations staff make an API token on their account page and their tool publishes a window with it', async ({ page }) => {
  await logIn(page, DEMO_ADMIN);
  await page.goto('/admin/account');
  await hydrated(page);
  const form = page.locator('#token-form');
  await form.locator('#token-name').fill('점검 도구');
  await form.locator('#token-password').fill('Admin-portal-2026!');
  await form.locator('button[type=submit]').click();
  const secret = (await page.locator('[data-test=token-secret]').innerText()).trim();
  expect(secret).toMatch(/^apm_/);
  await expect(page.locator('[data-test=tokens]')).toContainText('점검 도구');
  // The tool: no session, only the token.
  const tool = await page.context().browser()!.newContext();
  const answer = await tool.request.post(new URL('/api/v1/admin/maintenance-windows', page.url()).toString(), {
    headers: { Authorization: `Bearer ${secret}` },
    data: { projects: 'all', start: '2032-03-01T02:00:00+09:00', end: '2032-03-01T03:00:00+09:00', notice: '도구로 공지한 점검' },
  });
  expect(answer.status()).toBe(201);
  await tool.close();
  await page.goto('/admin/sla');
  await hydrated(page);
  await expect(page.locator('[data-test=windows]')).toContainText('도구로 공지한 점검');
});

// Desktop and phone run against the same portal, one after the other: each run schedules its
// own far-future month and withdraws it again, so neither finds the other's month taken.
test('an administrator schedules a credit policy version, a bad band is refused beside its field, and withdraws it', async ({ page }) => {
  const month = `${3000 + Math.floor(Math.random() * 6000)}-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}`;
  await logIn(page, DEMO_ADMIN);
  await page.goto('/admin/sla');
  await hydrated(page);
  await page.click('[data-test=credit-policy-link]');
  await expect(page).toHaveURL(/\/admin\/sla\/policy$/);
  await expect(page.locator('[data-test=policy-versions] tr[data-status=in_force]')).toHaveCount(1);
  const form = page.locator('[data-test=policy-form]');
  const fillBands = async (bands: [string, string][]) => {
    for (let n = 1; n <= 6; n++) {
      const [below, rate] = bands[n - 1] ?? ['', ''];
      await form.locator(`#policy-below-${n}`).fill(below);
      await form.locator(`#policy-rate-${n}`).fill(rate);
    }
  };
  await form.locator('#policy-month').fill(month);
  await page.selectOption('#policy-basis', 'trailing_3_months');
  await fillBands([['99.9', '5'], ['99.9', '10'], ['95', '100']]);
  await form.locator('button[type=submit]').click();
  await expect(page.locator('#policy-below-2-error')).toContainText('기준은 위에서 아래로 갈수록 낮아져야 합니다.');
  await expect(form.locator('.notice-error')).toContainText('저장하지 않았습니다');
  // The typed values stay in the form after the refusal.
  await expect(form.locator('#policy-month')).toHaveValue(month);
  await form.locator('#policy-below-2').fill('99.5');
  await form.locator('button[type=submit]').click();
  await expect(form.locator('.notice-success')).toContainText(month);
  const row = page.locator('[data-test=policy-versions] tbody tr', { hasText: month });
  await expect(row).toHaveAttribute('data-status', 'scheduled');
  await expect(row).toContainText('[99.5, 99.9)');
  await expect(row).toContainText('최근 3개월 평균');
  // The public scheme announces a scheduled version.
  await page.goto('/help/compensation');
  await hydrated(page);
  await expect(page.locator('[data-test=next-policy]')).toBeVisible();
  await page.goto('/admin/sla/policy');
  await hydrated(page);
  await page.locator('[data-test=policy-versions] tbody tr', { hasText: month }).locator('[data-test=withdraw]').click();
  await expect(page.locator('.notice-success', { hasText: '철회' })).toBeVisible();
  await expect(page.locator('[data-test=policy-versions] tbody tr', { hasText: month })).toHaveCount(0);
});
