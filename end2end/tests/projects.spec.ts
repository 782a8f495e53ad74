import { NOT_FOUND_LOG, test, expect } from './fixtures';
import { hydrated, signUp, uniqueId } from './helpers';

test('a new customer creates a free project, fills its targets, upgrades and changes capacity', async ({ page }) => {
  await signUp(page);
  await page.click('[data-test=empty-projects] a');
  await expect(page).toHaveURL(/\/projects\/new/);
  await hydrated(page);
  const prefix = uniqueId('p').replace(/[^a-z0-9]/g, '');
  await page.fill('#name', '결제 서비스');
  await page.fill('#prefix', prefix.toUpperCase());
  await expect(page.locator('[data-test=address-preview]')).toContainText(`${prefix}.`);
  await expect(page.locator('[data-test=prefix-available]')).toBeVisible();
  // A reserved word is refused while typing.
  await page.fill('#prefix', 'admin');
  await expect(page.locator('#prefix-error')).toContainText('예약된');
  await page.fill('#prefix', prefix);
  await page.check('input[name=plan][value=free]');
  await page.click('#project-form button[type=submit]');
  await expect(page).toHaveURL(/\/projects\/\d+/);
  await expect(page.locator('[data-test=trial]')).toContainText('15일');
  await expect(page.locator('[data-test=targets-left]')).toContainText('5개');
  await hydrated(page);

  for (let i = 1; i <= 5; i++) {
    await page.selectOption('#target-kind', 'url');
    await page.fill('#target-name', `체크 ${i}`);
    await page.fill('#target-detail', `https://shop.example.com/health/${i}`);
    await page.click('#target-form button[type=submit]');
    await expect(page.locator('[data-test=targets] tbody tr')).toHaveCount(i);
  }
  await page.fill('#target-name', '하나 더');
  await page.fill('#target-detail', 'https://shop.example.com/extra');
  await page.click('#target-form button[type=submit]');
  await expect(page.getByText('5개까지 등록할 수 있습니다')).toBeVisible();
  await expect(page.locator('[data-test=targets] tbody tr')).toHaveCount(5);

  // The dashboard card shows the same clock and the full target count.
  await page.goto('/dashboard');
  const card = page.locator('[data-test=project-list] li', { hasText: '결제 서비스' });
  await expect(card.locator('[data-test=days-left]')).toHaveText('15일');
  await expect(card).toContainText('5 / 5');
  await card.locator('a.card-title').click();
  await expect(page).toHaveURL(/\/projects\/\d+/);
  await hydrated(page);

  await page.click('[data-test=upgrade]');
  await expect(page.locator('[data-test=plan]')).toHaveText('유료');
  await page.fill('#ingest', '50');
  await page.fill('#storage', '500');
  await page.check('input[name=remote_support]');
  await page.click('#capacity-form button[type=submit]');
  await expect(page.locator('[data-test=ingest]')).toContainText('50');
  const history = page.locator('[data-test=capacity-history]');
  // The upgrade itself is the first entry; the customer's change is the newest, on top.
  await expect(history.locator('tbody tr')).toHaveCount(2);
  await expect(history.locator('tbody tr').first()).toContainText('일일 수집량 10 → 50 GB');
  await expect(history.locator('tbody tr').first()).toContainText('원격 지원: 켬');

  await page.goto('/dashboard');
  await expect(page.locator('[data-test=project-list]')).toContainText('결제 서비스');
});

test('an out-of-range capacity request is explained and changes nothing', async ({ page }) => {
  await signUp(page);
  await page.goto('/projects/new');
  await hydrated(page);
  const prefix = uniqueId('c').replace(/[^a-z0-9]/g, '');
  await page.fill('#name', 'Paid one');
  await page.fill('#prefix', prefix);
  await page.check('input[name=plan][value=paid]');
  await page.click('#project-form button[type=submit]');
  await expect(page.locator('[data-test=plan]')).toHaveText('유료');
  await hydrated(page);
  await page.fill('#ingest', '0');
  await page.click('#capacity-form button[type=submit]');
  await expect(page.getByText('일일 수집량은 1~10000 GB')).toBeVisible();
  await expect(page.locator('[data-test=ingest]')).toContainText('10');
});

test('creating a project lands on its page, which keeps working (no panic after the move)', async ({ page }) => {
  await signUp(page);
  await page.goto('/projects/new');
  await hydrated(page);
  await expect(page.locator('[data-test=free-plan-terms]')).toContainText('모니터링 대상 5개까지');
  const prefix = uniqueId('m').replace(/[^a-z0-9]/g, '');
  await page.fill('#name', '이동 확인');
  await page.check('input[name=plan][value=free]');
  // The prefix typed last, so its availability check is still pending when the form moves on.
  await page.fill('#prefix', prefix);
  await page.click('#project-form button[type=submit]');
  await expect(page).toHaveURL(/\/projects\/\d+\?created=1$/);
  await expect(page.locator('h1')).toHaveText('이동 확인');
  await expect(page.getByRole('status').first()).toBeVisible();
  // Past the form's 350 ms availability timer and its answer.
  await page.waitForTimeout(1500);
  // The app is still alive: adding a target works without a page load.
  await page.fill('#target-name', '상태 점검');
  await page.fill('#target-detail', 'https://shop.example.com/health');
  await page.click('#target-form button[type=submit]');
  await expect(page.locator('[data-test=targets] tbody tr')).toHaveCount(1);
});

test.describe('not found on purpose', () => {
  test.use({ allowedConsoleErrors: [NOT_FOUND_LOG] });

  test("another customer's project is not found", async ({ page, browser }) => {
    await signUp(page);
    await page.goto('/projects/new');
    await hydrated(page);
    await page.fill('#name', 'Private');
    await page.fill('#prefix', uniqueId('x').replace(/[^a-z0-9]/g, ''));
    await page.check('input[name=plan][value=free]');
    await page.click('#project-form button[type=submit]');
    await expect(page).toHaveURL(/\/projects\/\d+/);
    const url = page.url();
    const ctx = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const other = await ctx.newPage();
    await signUp(other);
    const res = await other.goto(url);
    expect(res?.status()).toBe(404);
    await ctx.close();
  });
});
