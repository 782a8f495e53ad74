import { test, expect } from './fixtures';
import { DEMO_ADMIN, hydrated, logIn, uniqueId } from './helpers';

// The e2e portal runs with --demo: staff "admin" (admin role) records incidents like
// operations staff do; the demo's one past incident is already published.

/** The KST wall-clock minute `minutesAgo` before now, as a datetime-local value. */
function kstMinute(minutesAgo: number): string {
  return new Date(Date.now() - minutesAgo * 60_000 + 9 * 3_600_000).toISOString().slice(0, 16);
}

test('staff record an open incident, add its recovery, publish it, and a visitor reads it in both languages', async ({ page, browser }) => {
  await logIn(page, DEMO_ADMIN);
  await page.click('.subnav a[href="/admin/incidents"]');
  await expect(page).toHaveURL(/\/admin\/incidents$/);
  await hydrated(page);
  await expect(page.locator('[data-test=report]')).toBeVisible();

  const tag = uniqueId('i');
  const ko = `수집 지연 안내 ${tag}`;
  const en = `Collection delay ${tag}`;
  await page.check('[data-test=scope-all]');
  await page.fill('#incident-start', kstMinute(90));
  await page.fill('#incident-cause', `수집 서버 디스크 ${tag}`);
  await page.fill('#incident-notice-ko', ko);
  await page.fill('#incident-notice-en', en);
  await page.click('#incident-form button[type=submit]');
  await expect(page.locator('[data-test=record-result]')).toContainText('장애를 기록했습니다.');

  const card = page.locator('[data-test=incident]', { hasText: ko });
  await expect(card.locator('[data-test=status]')).toContainText('진행 중');
  await expect(card.locator('[data-test=draft]')).toBeVisible();

  // A recovery before the start is refused beside nothing stored; then the real one.
  await card.locator('input[name=recovered_at]').fill(kstMinute(120));
  await card.locator('[data-test=recovery-form] button[type=submit]').click();
  await expect(page.locator('[data-test=row-result]')).toContainText('복구 시각은 시작 시각보다 뒤여야 합니다.');
  await card.locator('input[name=recovered_at]').fill(kstMinute(30));
  await card.locator('[data-test=recovery-form] button[type=submit]').click();
  await expect(page.locator('[data-test=row-result]')).toContainText('복구 시각을 저장했습니다.');
  await expect(card.locator('[data-test=status]')).toContainText('복구됨 · 1시간');

  await card.locator('[data-test=publish-form] button[type=submit]').click();
  await expect(page.locator('[data-test=row-result]')).toContainText('공지를 게시했습니다.');
  await expect(card.locator('[data-test=published]')).toBeVisible();

  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto('/');
  await hydrated(visitor);
  await visitor.click('footer a[href="/incidents"]');
  await expect(visitor).toHaveURL(/\/incidents$/);
  await hydrated(visitor);
  const notice = visitor.locator('[data-test=notice]', { hasText: ko });
  await expect(notice).toBeVisible();
  await expect(notice.locator('[data-test=status]')).toContainText('복구 완료 · 1시간');
  // Staff-only facts stay staff-only.
  await expect(visitor.locator('body')).not.toContainText(`수집 서버 디스크 ${tag}`, { useInnerText: true });
  // Newest first: ours began after the demo's incident of ten days ago.
  await expect(visitor.locator('[data-test=notice]').first()).toContainText(ko);
  await visitor.click('nav.lang a[hreflang=en]');
  await expect(visitor.locator('h1')).toHaveText('Incident notices');
  await hydrated(visitor);
  await expect(visitor.locator('[data-test=notice]', { hasText: en })).toBeVisible();
  // innerText: the page's hydration data holds both languages, the reader sees one.
  await expect(visitor.locator('body')).not.toContainText(ko, { useInnerText: true });
  await visitorContext.close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the notices read on a phone and a refused incident keeps what was typed', async ({ page }) => {
    await page.goto('/incidents');
    await expect(page.locator('[data-test=notice]').first()).toBeVisible();
    await expect(page.locator('[data-test=notice]').first()).toContainText('KST');

    await page.goto('/login');
    await page.fill('#login_id', 'admin');
    await page.fill('#password', 'Admin-portal-2026!');
    await page.click('form button[type=submit]');
    await expect(page).toHaveURL(/\/admin$/);
    await page.goto('/admin/incidents');
    await page.fill('#incident-start', kstMinute(60));
    await page.fill('#incident-recovery', kstMinute(70));
    await page.fill('#incident-cause', '원인');
    await page.fill('#incident-notice-ko', '남겨 둘 공지');
    await page.fill('#incident-notice-en', 'Kept notice');
    await page.click('#incident-form button[type=submit]');
    await expect(page).toHaveURL(/\/admin\/incidents/);
    await expect(page.locator('#incident-recovery-error')).toContainText('복구 시각은 시작 시각보다 뒤여야 합니다.');
    await expect(page.locator('#incident-notice-ko')).toHaveValue('남겨 둘 공지');
  });
});
