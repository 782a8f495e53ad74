import { test, expect } from './fixtures';
import { DEMO_ADMIN, fillSignUp, hydrated, logIn, signUp, uniqueId } from './helpers';

// The e2e portal runs with --demo: staff "admin" (admin role) works tickets.
test('a customer files an incident with an attachment, an agent answers, the customer sees the answer but never the internal note', async ({ page, browser }) => {
  await signUp(page);
  await page.goto('/support');
  await expect(page.locator('[data-test=empty-tickets]')).toBeVisible();
  await page.click('[data-test=new-ticket]');
  await expect(page).toHaveURL(/\/support\/new/);
  await hydrated(page);
  // The limits are stated next to the field.
  await expect(page.locator('#attachments-hint')).toContainText('5MB');
  const subject = `수집 중단 ${uniqueId('t')}`;
  await page.selectOption('#kind', 'incident');
  await page.selectOption('#severity', 'critical');
  await page.fill('#subject', subject);
  await page.fill('#body', '10시부터 **대시보드**가 비어 있습니다. <script>alert(1)</script>');
  await page.setInputFiles('#attachments', { name: 'agent.log', mimeType: 'text/plain', buffer: Buffer.from('ERROR collector stopped\n') });
  await page.click('[data-test=ticket-form] button[type=submit]');
  await expect(page).toHaveURL(/\/support\/tickets\/\d+/);
  await expect(page.locator('[data-test=ticket-created]')).toBeVisible();
  await expect(page.locator('[data-test=clocks]')).toContainText('작업 착수');
  await expect(page.locator('[data-test=attachment]')).toHaveText('agent.log');
  await expect(page.locator('[data-test=conversation] strong').filter({ hasText: '대시보드' })).toBeVisible();
  const ticketUrl = page.url();
  const id = ticketUrl.match(/tickets\/(\d+)/)![1];

  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await logIn(staff, DEMO_ADMIN);
  await staff.goto('/admin/support');
  await expect(staff.locator('[data-test=queue]')).toContainText(subject);
  await staff.click(`[data-test=queue] a[href="/admin/support/${id}"]`);
  await expect(staff).toHaveURL(new RegExp(`/admin/support/${id}$`));
  await staff.selectOption('#purpose', 'internal_note');
  await staff.fill('#body', '내부 메모: 고객사 디스크 확인 필요');
  await staff.click('[data-test=staff-reply-form] button[type=submit]');
  await expect(staff.locator('[data-test=conversation]')).toContainText('내부 메모: 고객사 디스크 확인 필요');
  await staff.selectOption('#purpose', 'reply');
  await staff.fill('#body', '수집기를 재시작했습니다. 확인 부탁드립니다.');
  await staff.click('[data-test=staff-reply-form] button[type=submit]');
  await expect(staff.locator('[data-test=conversation]')).toContainText('수집기를 재시작했습니다');
  await staffContext.close();

  await page.goto('/support');
  await expect(page.locator('[data-test=ticket-notifications]')).toContainText(subject);
  await page.goto(ticketUrl);
  await expect(page.locator('[data-test=conversation]')).toContainText('수집기를 재시작했습니다');
  await expect(page.locator('body')).not.toContainText('고객사 디스크 확인 필요');
  await expect(page.locator('[data-test=ticket-status]')).toHaveText('처리 중');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('a ticket is filed and a refused form keeps what was typed', async ({ page }) => {
    await page.goto('/signup');
    await fillSignUp(page, uniqueId());
    await page.click('#signup-form button[type=submit]');
    await expect(page).toHaveURL(/\/dashboard/);
    await page.goto('/support/new');
    await page.selectOption('#kind', 'incident');
    await page.fill('#subject', '심각도 없이');
    await page.fill('#body', '내용');
    await page.click('[data-test=ticket-form] button[type=submit]');
    await expect(page).toHaveURL(/\/support\/new/);
    await expect(page.locator('#severity-error')).toContainText('입력해 주세요');
    await expect(page.locator('#subject')).toHaveValue('심각도 없이');
    await page.selectOption('#severity', 'minor');
    await page.click('[data-test=ticket-form] button[type=submit]');
    await expect(page).toHaveURL(/\/support\/tickets\/\d+/);
    await expect(page.locator('[data-test=ticket-subject]')).toContainText('심각도 없이');
  });
});
