import { test, expect } from './fixtures';
import { hydrated, signUp } from './helpers';

test('the account page loads without errors and its forms work', async ({ page }) => {
  const id = await signUp(page);
  // Server-rendered; its forms are plain HTML forms.
  await page.goto('/account');
  await hydrated(page);
  await expect(page.locator('h1')).toHaveText('계정 설정');
  await expect(page.locator('p.meta strong')).toHaveText(id);
  await expect(page.locator('#email')).toHaveValue(`${id}@example.com`);
  // Saving contact details answers on the same page.
  await page.fill('#phone', '010-9876-5432');
  await page.click('#contact-form button[type=submit]');
  await expect(page.locator('.notice-success')).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.locator('#phone')).toHaveValue(/9876/);
});

test('the account page renders without errors when reached by a link', async ({ page }) => {
  await signUp(page);
  await hydrated(page);
  await page.evaluate(() => {
    const a = document.querySelector<HTMLAnchorElement>('a[href="/account"]');
    a?.click();
  });
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('h1')).toHaveText('계정 설정');
  await expect(page.locator('#contact-form')).toBeVisible();
});
