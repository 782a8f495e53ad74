import { NOT_FOUND_LOG, test, expect } from './fixtures';
import { PASSWORD, fillSignUp, hydrated, signUp, uniqueId } from './helpers';

test('each password rule turns green as the new user types', async ({ page }) => {
  await page.goto('/signup');
  await hydrated(page);
  await page.fill('#login_id', 'typing.user');
  await page.fill('#email', 'typer@example.com');
  const rule = (r: string) => page.locator(`#password-rules li[data-rule="${r}"]`);
  await page.fill('#password', 'abc');
  for (const r of ['min_length', 'has_digit', 'has_special']) await expect(rule(r)).not.toHaveClass(/ok/);
  await expect(rule('has_letter')).toHaveClass(/ok/);
  // Digits and a symbol but no letter: only the letter rule is left.
  await page.fill('#password', '12345678!');
  await expect(rule('has_letter')).not.toHaveClass(/ok/);
  for (const r of ['min_length', 'max_length', 'has_digit', 'has_special']) await expect(rule(r)).toHaveClass(/ok/);
  // 128 characters are allowed, 129 are not.
  await page.fill('#password', 'Aa1!'.repeat(32));
  await expect(rule('max_length')).toHaveClass(/ok/);
  await page.fill('#password', 'Aa1!'.repeat(32) + 'x');
  await expect(rule('max_length')).not.toHaveClass(/ok/);
  for (const r of ['min_length', 'has_letter', 'has_digit', 'has_special']) await expect(rule(r)).toHaveClass(/ok/);
  await page.fill('#password', 'abcdefgh');
  await expect(rule('min_length')).toHaveClass(/ok/);
  await expect(rule('has_digit')).not.toHaveClass(/ok/);
  await page.fill('#password', 'abcdefg1');
  await expect(rule('has_digit')).toHaveClass(/ok/);
  await page.fill('#password', 'abcdefg1!');
  await expect(rule('has_special')).toHaveClass(/ok/);
  await page.fill('#password', 'typing.user1!');
  await expect(rule('not_containing_id')).not.toHaveClass(/ok/);
  await page.fill('#password', 'typer-2026!x');
  await expect(rule('not_containing_email')).not.toHaveClass(/ok/);
  await page.fill('#password', PASSWORD);
  await expect(page.locator('#password-rules li.ok')).toHaveCount(await page.locator('#password-rules li').count());
});

test('a missed consent is pointed out, fields stay filled, then sign-up succeeds', async ({ page }) => {
  const id = uniqueId();
  await page.goto('/signup');
  await hydrated(page);
  await expect(page.locator('#agree_terms')).not.toBeChecked();
  await expect(page.locator('#agree_privacy')).not.toBeChecked();
  await fillSignUp(page, id, { privacy: false });
  await page.click('#signup-form button[type=submit]');
  await expect(page.locator('#agree_privacy-error')).toContainText('동의가 필요합니다');
  await expect(page.locator('#login_id')).toHaveValue(id);
  await expect(page.locator('#email')).toHaveValue(`${id}@example.com`);
  // The form is a plain HTML form: the refusal came back as a new page, which never carries
  // the passwords (in the HTML or in the browser's form memory), so they are typed again.
  await expect(page.locator('#password')).toHaveValue('');
  await page.fill('#password', PASSWORD);
  await page.fill('#password_confirm', PASSWORD);
  await page.check('#agree_privacy');
  await page.click('#signup-form button[type=submit]');
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByText('가입을 환영합니다')).toBeVisible();
  await expect(page.locator('[data-test=empty-projects]')).toBeVisible();
});

test('a taken ID and a bad e-mail are shown next to their fields', async ({ page, browser }) => {
  const id = await signUp(page);
  const other = await browser.newPage({ baseURL: test.info().project.use.baseURL });
  await other.goto('/signup');
  await hydrated(other);
  await fillSignUp(other, id.toUpperCase(), { email: 'broken@' });
  await other.click('#signup-form button[type=submit]');
  await expect(other.locator('#login_id-error')).toContainText('이미 사용 중인 아이디');
  await expect(other.locator('#email-error')).toContainText('올바른 이메일');
  await other.close();
});

test('log out, then log in again; a wrong password is refused', async ({ page }) => {
  const id = await signUp(page);
  await page.click('[data-test=logout]');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: '로그인' }).first()).toBeVisible();
  await page.goto('/login');
  await hydrated(page);
  await page.fill('#login_id', id);
  await page.fill('#password', 'Wrong-pass-2026!');
  await page.click('form button[type=submit]');
  await expect(page.getByText('아이디 또는 비밀번호가 올바르지 않습니다')).toBeVisible();
  await page.fill('#password', PASSWORD);
  await page.click('form button[type=submit]');
  await expect(page).toHaveURL(/\/dashboard/);
  // Signed-in pages are not for visitors: after log-out they send you to log in.
  await page.click('[data-test=logout]');
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('the language switch turns the page English and is remembered', async ({ page }) => {
  await page.goto('/login');
  await expect(page.locator('h1')).toHaveText('로그인');
  await page.click('a[hreflang=en]');
  await expect(page.locator('h1')).toHaveText('Log in');
  await page.goto('/signup');
  await expect(page.locator('h1')).toHaveText('Sign up');
  await page.click('a[hreflang=ko]');
  await expect(page.locator('h1')).toHaveText('회원가입');
});

test('the terms show their version and effective date', async ({ page }) => {
  await page.goto('/terms');
  await expect(page.locator('h1')).toHaveText('서비스 이용약관');
  await expect(page.locator('[data-test=doc-version]')).toContainText('1.0');
  await expect(page.locator('[data-test=doc-version]')).toContainText('2026-01-01');
});

test.describe('not found on purpose', () => {
  test.use({ allowedConsoleErrors: [NOT_FOUND_LOG] });

  test('customers get a not-found page for the admin area', async ({ page }) => {
    await signUp(page);
    const res = await page.goto('/admin');
    expect(res?.status()).toBe(404);
    await expect(page.locator('h1')).toHaveText('페이지를 찾을 수 없습니다');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('after a refused sign-up the consent boxes stay as the visitor left them', async ({ page }) => {
    const id = uniqueId('n');
    await page.goto('/signup');
    // Terms agreed, privacy not, and a broken e-mail.
    await fillSignUp(page, id, { email: 'no-at-sign', privacy: false });
    await page.click('#signup-form button[type=submit]');
    await expect(page).toHaveURL(/\/signup/);
    await expect(page.locator('#email-error')).toContainText('올바른 이메일');
    await expect(page.locator('#agree_privacy-error')).toContainText('동의가 필요합니다');
    await expect(page.locator('#agree_terms')).toBeChecked();
    await expect(page.locator('#agree_privacy')).not.toBeChecked();
    // Both agreed, the e-mail still broken: both come back checked.
    await page.fill('#password', PASSWORD);
    await page.fill('#password_confirm', PASSWORD);
    await page.check('#agree_privacy');
    await page.click('#signup-form button[type=submit]');
    await expect(page.locator('#email-error')).toContainText('올바른 이메일');
    await expect(page.locator('#agree_terms')).toBeChecked();
    await expect(page.locator('#agree_privacy')).toBeChecked();
    // Nothing else to tick: fixing the e-mail and the passwords is enough.
    await page.fill('#email', `${id}@example.com`);
    await page.fill('#password', PASSWORD);
    await page.fill('#password_confirm', PASSWORD);
    await page.click('#signup-form button[type=submit]');
    await expect(page).toHaveURL(/\/dashboard/);
  });

  test('sign-up works as a plain form, errors and all', async ({ page }) => {
    const id = uniqueId('n');
    await page.goto('/signup');
    await fillSignUp(page, id, { email: 'no-at-sign' });
    await page.click('#signup-form button[type=submit]');
    await expect(page).toHaveURL(/\/signup/);
    await expect(page.locator('#email-error')).toContainText('올바른 이메일');
    await expect(page.locator('#login_id')).toHaveValue(id);
    await expect(page.locator('#password')).toHaveValue('');
    await page.fill('#email', `${id}@example.com`);
    await page.fill('#password', PASSWORD);
    await page.fill('#password_confirm', PASSWORD);
    await page.check('#agree_terms');
    await page.check('#agree_privacy');
    await page.click('#signup-form button[type=submit]');
    await expect(page).toHaveURL(/\/dashboard/);
    await expect(page.locator('[data-test=empty-projects]')).toBeVisible();
  });
});
