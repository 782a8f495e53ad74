import { test, expect } from './fixtures';
import { DEMO_ADMIN, hydrated, logIn, uniqueId } from './helpers';
import type { Page } from '@playwright/test';

// The help pages (issue 16) are public and one lazy route; their content is the rows
// migration 0070 ships plus what staff write in /admin/help. Every test here runs on the
// desktop and the phone project (playwright.config.ts).

/** Nothing on the page is wider than the screen (phones must not scroll sideways). */
async function fitsTheScreen(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('a visitor searches the FAQ, filters it by category and reads the manual', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.click('footer a[href="/help"]');
  await expect(page).toHaveURL(/\/help$/);
  await expect(page.locator('h1')).toHaveText('도움말');
  await hydrated(page);
  await expect(page.locator('[data-test=help-index] a[href="/help/compensation"]')).toBeVisible();
  await fitsTheScreen(page);

  // The search is a plain GET form: the results have an address of their own.
  await page.fill('#help-q', '청구서');
  await page.press('#help-q', 'Enter');
  await expect(page).toHaveURL(/\/help\/faq\?q=/);
  await hydrated(page);
  await expect(page.locator('#faq-q')).toHaveValue('청구서');
  const invoices = page.locator('[data-test=faq-entry]', { hasText: '청구서는 언제 나오고 언제까지 내야 하나요?' });
  await expect(invoices).toBeVisible();
  // Open while searching: the answer reads at once.
  await expect(invoices.locator('.markdown')).toContainText('납부 기한');
  await expect(page.locator('[data-test=faq-count]')).toContainText('청구서');

  // A category keeps the words searched for and shows only its group.
  await page.click('[data-test=faq-categories] a[data-category=sla]');
  await expect(page).toHaveURL(/category=sla/);
  await expect(page.locator('[data-test=faq-group]')).toHaveCount(1);
  await expect(page.locator('[data-test=faq-group]')).toHaveAttribute('data-category', 'sla');
  await expect(page.locator('[data-test=faq-entry]', { hasText: 'SLA 보상을 받으려면 신청해야 하나요?' })).toBeVisible();
  await expect(page.locator('[data-test=faq-entry]', { hasText: '청구서는 언제 나오고' })).toHaveCount(0);
  await fitsTheScreen(page);

  // Words nobody wrote: a way to ask instead.
  await page.fill('#faq-q', `없는말${uniqueId('x')}`);
  await page.press('#faq-q', 'Enter');
  await expect(page.locator('[data-test=faq-none] a[href="/support/new"]')).toBeVisible();

  // Back to the index, and into the manual: sections in order, with their contents.
  await hydrated(page);
  await page.click('.crumbs a[href="/help"]');
  await expect(page).toHaveURL(/\/help$/);
  await page.click('[data-test=help-index] a[href="/help/manual"]');
  await expect(page).toHaveURL(/\/help\/manual$/);
  await expect(page.locator('h1')).toHaveText('사용자 매뉴얼');
  await expect(page.locator('[data-test=article]').first()).toContainText('가입과 로그인');
  await expect(page.locator('[data-test=article]', { hasText: '지원 문의' }).first()).toBeVisible();
  const toSupport = page.locator('nav.toc a', { hasText: '지원 문의' });
  await toSupport.click();
  await expect(page).toHaveURL(/\/help\/manual#a-\d+$/);
  await fitsTheScreen(page);

  // In English the English rows are shown.
  await page.click('nav.lang a[hreflang=en]');
  await expect(page.locator('h1')).toHaveText('User manual');
  await hydrated(page);
  await expect(page.locator('[data-test=article]').first()).toContainText('Signing up and logging in');
  await expect(page.locator('main')).not.toContainText('가입과 로그인', { useInnerText: true });
});

test('an administrator writes an FAQ entry, previews it, edits it and publishes it for visitors', async ({ page, browser }) => {
  await logIn(page, DEMO_ADMIN);
  await page.click('.subnav a[href="/admin/help"]');
  await expect(page).toHaveURL(/\/admin\/help$/);
  await hydrated(page);
  await expect(page.locator('[data-test=help-articles]')).toContainText('가입과 로그인');
  await page.click('[data-test=new-faq]');
  await expect(page).toHaveURL(/\/admin\/help\/new\?kind=faq$/);
  await expect(page.locator('h1')).toHaveText('새 항목');

  const tag = uniqueId('h');
  await page.selectOption('#help-category', 'billing');
  await page.fill('#help-title', `세금계산서 ${tag} 발행되나요?`);
  await page.fill('#help-body', `네, **매월** 발행됩니다. ${tag}`);
  await page.click('[data-test=preview]');
  await expect(page.locator('[data-test=help-result]')).toContainText('미리보기입니다.');
  await expect(page.locator('[data-test=preview-panel] strong')).toHaveText('매월');

  await page.click('[data-test=save]');
  await expect(page).toHaveURL(/\/admin\/help\/\d+$/);
  await expect(page.locator('[data-test=help-result]')).toContainText('저장했습니다.');
  await expect(page.locator('[data-test=draft]')).toBeVisible();

  // A visitor does not see the draft.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/help/faq?q=${tag}`);
  await expect(visitor.locator('[data-test=faq-none]')).toBeVisible();

  const question = `세금계산서는 ${tag} 언제 발행되나요?`;
  await page.fill('#help-title', question);
  await page.click('[data-test=save]');
  await expect(page.locator('[data-test=help-result]')).toContainText('저장했습니다.');
  await expect(page.locator('#help-title')).toHaveValue(question);
  await page.click('[data-test=publish]');
  await expect(page.locator('[data-test=help-result]')).toContainText('게시했습니다.');
  await expect(page.locator('[data-test=published]')).toBeVisible();

  await visitor.goto(`/help/faq?q=${tag}`);
  const entry = visitor.locator('[data-test=faq-entry]', { hasText: question });
  await expect(entry).toBeVisible();
  await expect(entry.locator('strong')).toHaveText('매월');
  await expect(visitor.locator('[data-test=faq-group]')).toHaveAttribute('data-category', 'billing');
  await visitorContext.close();

  // Each change is in the audit log.
  await page.goto('/admin/audit');
  await expect(page.locator('[data-test=audit]')).toContainText('help.published');
  await expect(page.locator('[data-test=audit]')).toContainText('help.edited');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the FAQ search and the manual work as plain pages', async ({ page }) => {
    await page.goto('/help');
    await page.fill('#help-q', '비밀번호');
    await page.press('#help-q', 'Enter');
    await expect(page).toHaveURL(/\/help\/faq\?q=/);
    await expect(page.locator('[data-test=faq-entry]', { hasText: '비밀번호는 어떤 규칙으로 만들어야 하나요?' })).toBeVisible();
    await page.click('[data-test=faq-categories] a[data-category=account]');
    await expect(page).toHaveURL(/category=account/);
    await expect(page.locator('[data-test=faq-group]')).toHaveCount(1);
    await page.goto('/help/sla');
    await expect(page.locator('main a[href="/help/compensation"]').first()).toBeVisible();
  });
});
