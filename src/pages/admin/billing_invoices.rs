//! Invoices in the admin view: every invoice, filtered to unpaid or overdue; one invoice with
//! its payments and credit notes, and forms for billing staff and administrators to record a
//! (partial) payment and to write a credit note (both audited). Support reads only.
use super::AdminNav;
use crate::i18n::*;
use crate::model::billing::{CreditNoteOutcome, InvoiceDetail, InvoiceSummary, PaymentOutcome};
use crate::model::error::AppError;
use crate::pages::auth::guard::StaffOnly;
use crate::pages::billing::invoices::{InvoiceDocument, InvoiceTable, krw};
use crate::pages::forms::{action_failure, form_flash, form_result};
use crate::pages::not_found::NotFound;
use crate::ui::fields::{Field, FormNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(prefix = "/api", endpoint = "admin/invoices")]
pub async fn staff_invoices(filter: String, page: i64) -> Result<Vec<InvoiceSummary>, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    if !role.may_read_billing() {
        return Err(context::not_allowed());
    }
    crate::server::billing::staff_invoices(&state.db, &filter, page)
        .await
        .map_err(context::internal)
}

#[server(prefix = "/api", endpoint = "admin/invoice")]
pub async fn staff_invoice(invoice_id: i64) -> Result<InvoiceDetail, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    if !role.may_read_billing() {
        return Err(context::not_allowed());
    }
    crate::server::billing::invoice_detail(&state.db, invoice_id, None)
        .await
        .map_err(context::internal)?
        .ok_or_else(context::not_found)
}

#[server(prefix = "/api", endpoint = "admin/invoice/payment")]
pub async fn record_payment(
    invoice_id: i64,
    amount: String,
    paid_on: String,
    method: String,
    #[server(default)] reference: String,
) -> Result<PaymentOutcome, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    let out = crate::server::billing::record_payment(
        &state,
        &auth,
        role,
        invoice_id,
        &crate::server::billing::PaymentForm {
            amount: &amount,
            paid_on: &paid_on,
            method: &method,
            reference: &reference,
        },
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?
    .ok_or_else(context::not_found)?;
    crate::server::flash::stash("payment", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "admin/invoice/credit_note")]
pub async fn create_credit_note(
    invoice_id: i64,
    amount: String,
    reason: String,
) -> Result<CreditNoteOutcome, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    let out = crate::server::billing::create_credit_note(
        &state,
        &auth,
        role,
        invoice_id,
        &amount,
        &reason,
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?
    .ok_or_else(context::not_found)?;
    crate::server::flash::stash("credit_note", &out);
    Ok(out)
}

#[component]
pub fn AdminInvoicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || query.get().get("filter").unwrap_or_default();
    let page = move || super::page_param(&query.get());
    let data = Resource::new(move || (filter(), page()), |(f, p)| staff_invoices(f, p));
    view! {
        <StaffOnly>
            <Title text=move || t_string!(i18n, billing.invoices).to_string() />
            <section class="page">
                <h1>{t!(i18n, billing.invoices)}</h1>
                <AdminNav />
                <nav class="subnav" aria-label=move || t_string!(i18n, billing.filter)>
                    <a href="/admin/invoices" aria-current=move || filter().is_empty().then_some("page")>{t!(i18n, billing.filter_all)}</a>
                    <a href="/admin/invoices?filter=unpaid" aria-current=move || (filter() == "unpaid").then_some("page")>{t!(i18n, billing.status_unpaid)}</a>
                    <a href="/admin/invoices?filter=overdue" aria-current=move || (filter() == "overdue").then_some("page")>{t!(i18n, billing.status_overdue)}</a>
                </nav>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            Err(_) => view! { <p class="notice notice-error">{t!(i18n, admin.not_allowed)}</p> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, billing.no_invoices_match)}</p> }.into_any(),
                            Ok(list) => {
                                let p = page();
                                let f = filter();
                                let full = list.len() as i64 == crate::pages::admin::billing_invoices::PER_PAGE;
                                view! {
                                    <InvoiceTable list link_base="/admin/invoices" staff=true />
                                    <nav class="pager">
                                        {(p > 1).then(|| view! { <a href=format!("/admin/invoices?filter={f}&page={}", p - 1)>{t!(i18n, admin.prev)}</a> })}
                                        {full.then(|| view! { <a href=format!("/admin/invoices?filter={f}&page={}", p + 1)>{t!(i18n, admin.next)}</a> })}
                                    </nav>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

/// Rows a staff list page holds (the server's page size).
pub const PER_PAGE: i64 = 50;

#[component]
pub fn AdminInvoicePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let pay = ServerAction::<RecordPayment>::new();
    let credit = ServerAction::<CreateCreditNote>::new();
    let data = Resource::new(
        move || {
            (
                params.get().get("id").and_then(|s| s.parse::<i64>().ok()),
                pay.version().get(),
                credit.version().get(),
            )
        },
        |(id, _, _)| async move {
            let d = staff_invoice(id?).await.ok()?;
            let flash = form_flash("payment".into()).await.ok().flatten();
            let credit_flash = form_flash("credit_note".into()).await.ok().flatten();
            Some((d, flash, credit_flash))
        },
    );
    view! {
        <StaffOnly>
            <section class="page">
                <AdminNav />
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        let role = crate::pages::auth::guard::staff_role();
                        match data.await {
                            None => view! { <NotFound /> }.into_any(),
                            Some((d, flash, credit_flash)) => {
                                let may_change = role.is_some_and(|r| r.may_change_billing());
                                let id = d.summary.id;
                                let balance = d.summary.balance;
                                let open = may_change && balance > 0;
                                // The confirmation of a credit note that settled the invoice
                                // still shows although the form is gone.
                                let settled = may_change
                                    && !open
                                    && (credit_flash.is_some() || credit.value().get_untracked().is_some());
                                // Likewise for a payment that paid it: the form goes, its
                                // confirmation stays.
                                let paid_now = may_change
                                    && !open
                                    && matches!(
                                        form_result::<RecordPayment, PaymentOutcome>(pay, flash.clone()).get_untracked(),
                                        Some(PaymentOutcome::Recorded { invoice_paid: true })
                                    );
                                view! {
                                    <Title text=d.summary.number.clone() />
                                    {paid_now.then(|| view! {
                                        <div class="notice notice-success no-print" role="status" data-test="payment-settled">
                                            {t!(i18n, billing.payment_recorded_paid)}
                                        </div>
                                    })}
                                    <InvoiceDocument d />
                                    {open.then(|| view! { <PaymentForm pay id balance flash /> })}
                                    {(open || settled).then(|| view! { <CreditNoteForm credit id balance open flash=credit_flash /> })}
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

#[component]
fn PaymentForm(
    pay: ServerAction<RecordPayment>,
    id: i64,
    balance: i64,
    flash: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = form_result::<RecordPayment, PaymentOutcome>(pay, flash);
    let ok = Signal::derive(move || match result.get() {
        Some(PaymentOutcome::Recorded { invoice_paid: true }) => {
            Some(t_string!(i18n, billing.payment_recorded_paid).to_string())
        }
        Some(PaymentOutcome::Recorded {
            invoice_paid: false,
        }) => Some(t_string!(i18n, billing.payment_recorded).to_string()),
        _ => None,
    });
    let error = Signal::derive(move || match result.get()? {
        PaymentOutcome::Recorded { .. } => None,
        PaymentOutcome::NotAllowed => Some(t_string!(i18n, admin.not_allowed).to_string()),
        PaymentOutcome::Invalid { problems } => Some(
            problems
                .iter()
                .map(|p| match p.as_str() {
                    "amount_invalid" => t_string!(i18n, billing.amount_invalid).to_string(),
                    "amount_over_balance" => {
                        t_string!(i18n, billing.amount_over_balance).to_string()
                    }
                    "already_paid" => t_string!(i18n, billing.already_paid).to_string(),
                    "date_invalid" | "date_in_future" => {
                        t_string!(i18n, billing.date_invalid).to_string()
                    }
                    "method_unknown" => t_string!(i18n, billing.method_unknown).to_string(),
                    _ => t_string!(i18n, billing.reference_invalid).to_string(),
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
    });
    view! {
        <section class="panel no-print">
            <h2>{t!(i18n, billing.record_payment)}</h2>
            <FormNotice message=ok success=true />
            <FormNotice message=error />
            <ActionForm action=pay attr:class="form" attr:id="payment-form">
                <input type="hidden" name="invoice_id" value=id />
                <div class="field">
                    <label for="pay-amount">{t!(i18n, billing.amount)}</label>
                    <input id="pay-amount" name="amount" inputmode="numeric" value=balance.to_string() required />
                </div>
                <div class="field">
                    <label for="pay-date">{t!(i18n, billing.paid_on)}</label>
                    <input id="pay-date" name="paid_on" type="date" required />
                </div>
                <div class="field">
                    <label for="pay-method">{t!(i18n, billing.method)}</label>
                    <select id="pay-method" name="method">
                        <option value="bank_transfer" selected=true>{t!(i18n, billing.method_bank_transfer)}</option>
                        <option value="card">{t!(i18n, billing.method_card)}</option>
                        <option value="other">{t!(i18n, billing.method_other)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="pay-reference">{t!(i18n, billing.reference)}</label>
                    <input id="pay-reference" name="reference" maxlength="100" />
                </div>
                <button type="submit" class="button primary">{t!(i18n, billing.record_payment)}</button>
            </ActionForm>
        </section>
    }
}

/// A translated message for a credit-note problem code.
fn credit_note_problem(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match code {
        "amount_invalid" => t_string!(i18n, billing.amount_invalid).to_string(),
        "amount_over_balance" => t_string!(i18n, billing.credit_note_over_balance).to_string(),
        "already_paid" => t_string!(i18n, billing.already_paid).to_string(),
        _ => t_string!(i18n, billing.credit_note_reason_invalid).to_string(),
    }
}

/// The credit-note form; after a credit note that settled the invoice (`open` false) only its
/// confirmation is left.
#[component]
fn CreditNoteForm(
    credit: ServerAction<CreateCreditNote>,
    id: i64,
    balance: i64,
    open: bool,
    flash: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = form_result::<CreateCreditNote, CreditNoteOutcome>(credit, flash);
    let ok = Signal::derive(move || match result.get()? {
        CreditNoteOutcome::Created {
            number,
            invoice_paid: true,
        } => Some(t_string!(i18n, billing.credit_note_created_paid, number = number).to_string()),
        CreditNoteOutcome::Created {
            number,
            invoice_paid: false,
        } => Some(t_string!(i18n, billing.credit_note_created, number = number).to_string()),
        _ => None,
    });
    let problems = move || match result.get() {
        Some(CreditNoteOutcome::Invalid { problems }) => problems,
        _ => Vec::new(),
    };
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            let codes: Vec<String> = problems()
                .into_iter()
                .filter(|c| match field {
                    "amount" => c.starts_with("amount_"),
                    _ => c == "reason_invalid",
                })
                .collect();
            (!codes.is_empty()).then(|| {
                codes
                    .iter()
                    .map(|c| credit_note_problem(i18n, c))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        })
    };
    let error = Signal::derive(move || match result.get()? {
        CreditNoteOutcome::NotAllowed => Some(t_string!(i18n, admin.not_allowed).to_string()),
        CreditNoteOutcome::Invalid { problems } if problems.iter().any(|c| c == "already_paid") => {
            Some(t_string!(i18n, billing.already_paid).to_string())
        }
        _ => None,
    });
    let failure = action_failure(credit, t_string!(i18n, common.failure));
    view! {
        <section class="panel no-print" data-test="credit-note-form">
            <h2>{t!(i18n, billing.create_credit_note)}</h2>
            <FormNotice message=ok success=true />
            <FormNotice message=error />
            <FormNotice message=failure />
            {open.then(|| view! {
                <p class="hint">{t!(i18n, billing.credit_note_hint)}</p>
                <ActionForm action=credit attr:class="form" attr:id="credit-note-form" attr:novalidate=true>
                    <input type="hidden" name="invoice_id" value=id />
                    // Left empty, unlike the payment form: a pre-filled balance would write the
                    // whole invoice off on one careless click.
                    <Field id="cn-amount" label=Signal::derive(move || t_string!(i18n, billing.amount).to_string())
                        hint=Signal::derive(move || Some(t_string!(i18n, billing.credit_note_max, amount = krw(balance)).to_string()))
                        error=field_error("amount")>
                        <input id="cn-amount" name="amount" inputmode="numeric" required aria-describedby="cn-amount-error cn-amount-hint" />
                    </Field>
                    <Field id="cn-reason" label=Signal::derive(move || t_string!(i18n, billing.credit_note_reason).to_string())
                        error=field_error("reason")>
                        <textarea id="cn-reason" name="reason" minlength="5" maxlength="500" rows="3" required aria-describedby="cn-reason-error"></textarea>
                    </Field>
                    <button type="submit" class="button primary" disabled=move || credit.pending().get()>{t!(i18n, billing.create_credit_note)}</button>
                </ActionForm>
            })}
        </section>
    }
}
