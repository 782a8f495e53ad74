import { test, expect } from './fixtures';
import { DEMO_ADMIN, DEMO_CUSTOMER, hydrated, logIn } from './helpers';

// The e2e portal runs with --demo: the demo customer's paid project "demo-pay" has three
// months of hourly usage and three invoices (one paid, one overdue, one open). Each test runs
// on desktop and on a phone against the same database, so each leaves what the other needs.

async function demoPayId(page: import('@playwright/test').Page): Promise<number> {
  const list = await (await page.request.get('/api/v1/projects')).json();
  const project = list.items.find((p: { prefix: string }) => p.prefix === 'demo-pay');
  expect(project).toBeTruthy();
  return project.id;
}

test('a customer sees the usage chart and table, sets a threshold, and opens an invoice and its print view', async ({ page }) => {
  await logIn(page, DEMO_CUSTOMER);
  // The dashboard card: this month's usage and the estimate.
  const card = page.locator('[data-test=month-to-date]').first();
  await expect(card).toBeVisible();
  await expect(card.locator('[data-test=estimate]')).toContainText('KRW');

  const id = await demoPayId(page);
  await page.goto(`/projects/${id}/usage`);
  await hydrated(page);
  const ingest = page.locator('[data-test=usage-ingest_gb]');
  await expect(ingest.locator('svg.chart rect.bar').first()).toBeAttached();
  // The same numbers as a table (for screen readers, and on request).
  await ingest.locator('details summary').click();
  const rows = ingest.locator('[data-test=usage-table-ingest_gb] tbody tr');
  expect(await rows.count()).toBeGreaterThanOrEqual(1);

  // A bad threshold is refused beside its field; a good one is saved.
  const form = ingest.locator('[data-test=threshold-ingest_gb]');
  await form.locator('input[name=threshold]').fill('많이');
  await form.locator('button[type=submit]').click();
  await expect(form.locator('.field-error')).toContainText('숫자로 입력하세요');
  await expect(form.locator('input[name=threshold]')).toHaveAttribute('aria-invalid', 'true');
  await form.locator('input[name=threshold]').fill('5000000');
  await form.locator('button[type=submit]').click();
  await expect(form.locator('[data-test=threshold-saved]')).toContainText('5000000');
  await page.reload();
  await hydrated(page);
  await expect(page.locator('[data-test=threshold-ingest_gb] input[name=threshold]')).toHaveValue('5000000');

  // The last month's usage is one click back.
  await page.click('[data-test=prev-month]');
  await expect(page).toHaveURL(/month=\d{4}-\d{2}/);
  await expect(page.locator('[data-test=usage-agent_hours] svg.chart rect.bar').first()).toBeAttached();

  await page.goto('/invoices');
  await hydrated(page);
  const invoices = page.locator('[data-test=invoices] tbody tr');
  expect(await invoices.count()).toBeGreaterThanOrEqual(3);
  await invoices.first().locator('a').click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  await expect(page.locator('[data-test=invoice-lines] tbody tr').first()).toBeVisible();
  await expect(page.locator('[data-test=invoice-total]')).toContainText('KRW');
  await page.click('[data-test=print-link]');
  await expect(page).toHaveURL(/\/invoices\/\d+\/print$/);
  await expect(page.locator('[data-test=invoice]')).toBeVisible();
  // The print view prints the invoice, not the portal around it.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
});

test('billing staff record a payment and the customer sees the invoice paid', async ({ page, browser }) => {
  await logIn(page, DEMO_ADMIN);
  await page.goto('/admin/invoices?filter=unpaid');
  await hydrated(page);
  // The desktop run pays one open invoice, the phone run the other.
  const open = page.locator('[data-test=invoices] tbody tr:not([data-status=paid])').first();
  await expect(open).toBeVisible();
  const number = (await open.locator('a').innerText()).trim();
  await open.locator('a').click();
  await expect(page).toHaveURL(/\/admin\/invoices\/\d+$/);
  await hydrated(page);
  const invoiceId = page.url().split('/').pop();
  await page.fill('#pay-date', new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Seoul' }));
  await page.fill('#pay-reference', `브라우저 입금 ${number}`);
  await page.click('#payment-form button[type=submit]');
  // The form goes once the invoice is paid; its confirmation stays.
  await expect(page.locator('[data-test=payment-settled]')).toContainText('청구서가 납부 완료되었습니다.');
  await expect(page.locator('#payment-form')).toHaveCount(0);
  await expect(page.locator('[data-test=invoice-status]')).toHaveText('납부 완료');

  const customer = await (await browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul' })).newPage();
  await logIn(customer, DEMO_CUSTOMER);
  await customer.goto(`/invoices/${invoiceId}`);
  await hydrated(customer);
  await expect(customer.locator('[data-test=invoice-status]')).toHaveText('납부 완료');
  await expect(customer.locator('[data-test=invoice-balance]')).toHaveText('0 KRW');
  await expect(customer.locator('[data-test=payments]')).toContainText(`브라우저 입금 ${number}`);
  await customer.context().close();
});
