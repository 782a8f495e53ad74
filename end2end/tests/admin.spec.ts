import { test, expect } from './fixtures';
import { DEMO_ADMIN, hydrated, logIn } from './helpers';

// The e2e portal runs with --demo: staff "admin" and the demo customer's projects exist.
test('an administrator finds a project, extends its trial with a reason, and sees it audited', async ({ page }) => {
  await logIn(page, DEMO_ADMIN);
  await page.goto('/admin/projects?q=demo-shop');
  await expect(page.locator('[data-test=admin-projects] tbody tr')).toHaveCount(1);
  await page.click('[data-test=admin-projects] tbody a');
  await expect(page.locator('[data-test=plan]')).toHaveText('무료');
  await hydrated(page);
  const before = await page.locator('[data-test=trial-ends]').textContent();
  // A missing reason is refused and changes nothing.
  await page.fill('#extension_days', '7');
  await page.click('#staff-plan-form button[type=submit]');
  await expect(page.getByText('사유를 입력해 주세요')).toBeVisible();
  await expect(page.locator('[data-test=trial-ends]')).toHaveText(before ?? '');
  await page.fill('#reason', `e2e ${test.info().project.name}: 고객 요청으로 연장`);
  await page.click('#staff-plan-form button[type=submit]');
  await expect(page.getByText('감사 로그에 기록되었습니다')).toBeVisible();
  await expect(page.locator('[data-test=trial-ends]')).not.toHaveText(before ?? '');
  await page.goto('/admin/audit');
  await expect(page.locator('[data-test=audit]')).toContainText(`e2e ${test.info().project.name}`);
  await expect(page.locator('[data-test=audit]')).toContainText('project.trial_extended');
});
