//! A customer's invoices: the list, one invoice, its print view (A4) and CSV download.
use crate::domain::billing::money::format_krw;
use crate::i18n::*;
use crate::model::billing::{InvoiceDetail, InvoiceStatus, InvoiceSummary};
use crate::model::error::AppError;
use crate::pages::auth::guard::{CustomerOnly, is_customer};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server(prefix = "/api", endpoint = "invoices")]
pub async fn my_invoices() -> Result<Vec<InvoiceSummary>, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    crate::server::billing::customer_invoices(&state.db, auth.user.id())
        .await
        .map_err(context::internal)
}

#[server(prefix = "/api", endpoint = "invoice")]
pub async fn my_invoice(invoice_id: i64) -> Result<InvoiceDetail, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    crate::server::billing::invoice_detail(&state.db, invoice_id, Some(auth.user.id()))
        .await
        .map_err(context::internal)?
        .ok_or_else(context::not_found)
}

pub fn status_label(i18n: I18nContext<Locale>, s: InvoiceStatus) -> String {
    match s {
        InvoiceStatus::Paid => t_string!(i18n, billing.status_paid),
        InvoiceStatus::PartlyPaid => t_string!(i18n, billing.status_partly_paid),
        InvoiceStatus::Unpaid => t_string!(i18n, billing.status_unpaid),
        InvoiceStatus::Overdue => t_string!(i18n, billing.status_overdue),
    }
    .to_string()
}

pub fn krw(amount: i64) -> String {
    format!("{} KRW", format_krw(amount))
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let customer = is_customer();
    let data = Resource::new(
        || (),
        move |_| async move {
            if !customer {
                return None;
            }
            my_invoices().await.ok()
        },
    );
    view! {
        <Title text=move || t_string!(i18n, billing.invoices).to_string() />
        <CustomerOnly>
            <section class="page">
                <h1>{t!(i18n, billing.invoices)}</h1>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            None => view! { <p class="notice notice-error">{t!(i18n, billing.invoices_unavailable)}</p> }.into_any(),
                            Some(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, billing.no_invoices)}</p> }.into_any(),
                            Some(list) => view! { <InvoiceTable list link_base="/invoices" staff=false /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </CustomerOnly>
    }
}

/// Invoices as a table (customer list and staff list).
#[component]
pub fn InvoiceTable(
    list: Vec<InvoiceSummary>,
    link_base: &'static str,
    staff: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table data-test="invoices">
                <thead><tr>
                    <th scope="col">{t!(i18n, billing.invoice_number)}</th>
                    <th scope="col">{t!(i18n, billing.month)}</th>
                    <th scope="col">{t!(i18n, projects.name)}</th>
                    {staff.then(|| view! { <th scope="col">{t!(i18n, admin.owner)}</th> })}
                    <th scope="col" class="num">{t!(i18n, billing.total)}</th>
                    <th scope="col">{t!(i18n, billing.due_date)}</th>
                    <th scope="col">{t!(i18n, billing.status)}</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|i| view! {
                        <tr data-status=i.status.code()>
                            <td><a href=format!("{link_base}/{}", i.id)>{i.number.clone()}</a></td>
                            <td>{i.month.clone()}</td>
                            <td>{i.project_name.clone()}</td>
                            {staff.then(|| view! { <td>{i.customer_login_id.clone()}</td> })}
                            <td class="num">{krw(i.total)}</td>
                            <td>{i.due_date.clone()}</td>
                            <td><span class=format!("badge badge-{}", i.status.code())>{status_label(i18n, i.status)}</span></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn id_param() -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.get().get("id").and_then(|s| s.parse::<i64>().ok())
}

#[component]
pub fn InvoicePage() -> impl IntoView {
    let i18n = use_i18n();
    let customer = is_customer();
    let id = id_param();
    let data = Resource::new(id, move |id| async move {
        if !customer {
            return None;
        }
        my_invoice(id?).await.ok()
    });
    view! {
        <Title text=move || t_string!(i18n, billing.invoice).to_string() />
        <CustomerOnly>
            <section class="page">
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            None => view! { <NotFound /> }.into_any(),
                            Some(d) => {
                                let id = d.summary.id;
                                view! {
                                    <nav class="subnav no-print">
                                        <a href="/invoices">{t!(i18n, billing.invoices)}</a>
                                        <a href=format!("/invoices/{id}/print") data-test="print-link">{t!(i18n, billing.print_view)}</a>
                                        <a href=format!("/invoices/{id}/csv") download="">{t!(i18n, billing.csv)}</a>
                                    </nav>
                                    <InvoiceDocument d />
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
        </CustomerOnly>
    }
}

/// The print view: only the document, laid out for A4 (see `@media print` in the style).
#[component]
pub fn InvoicePrintPage() -> impl IntoView {
    let customer = is_customer();
    let id = id_param();
    let data = Resource::new(id, move |id| async move {
        if !customer {
            return None;
        }
        my_invoice(id?).await.ok()
    });
    view! {
        <CustomerOnly>
            <section class="page print-page">
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            None => view! { <NotFound /> }.into_any(),
                            Some(d) => view! {
                                <Title text=d.summary.number.clone() />
                                <InvoiceDocument d />
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </CustomerOnly>
    }
}

/// The invoice itself: header, lines, totals, payments, credit notes. Shared by the customer,
/// print and staff views; who recorded a payment or wrote a credit note is in staff data only.
#[component]
pub fn InvoiceDocument(d: InvoiceDetail) -> impl IntoView {
    let i18n = use_i18n();
    let en = i18n.get_locale_untracked() == Locale::en;
    let s = d.summary.clone();
    view! {
        <article class="invoice" data-test="invoice">
            <header class="invoice-head">
                <h1>{t!(i18n, billing.invoice)} " " <span class="mono">{s.number.clone()}</span></h1>
                <dl class="facts">
                    <dt>{t!(i18n, billing.month)}</dt><dd>{s.month.clone()}</dd>
                    <dt>{t!(i18n, projects.name)}</dt><dd>{s.project_name.clone()} " (" <span class="mono">{d.project_prefix.clone()}</span> ")"</dd>
                    <dt>{t!(i18n, billing.issued_at)}</dt><dd>{s.issued_at.clone()}</dd>
                    <dt>{t!(i18n, billing.due_date)}</dt><dd>{s.due_date.clone()}</dd>
                    <dt>{t!(i18n, billing.status)}</dt><dd data-test="invoice-status">{status_label(i18n, s.status)}</dd>
                </dl>
            </header>
            <div class="table-wrap">
                <table data-test="invoice-lines">
                    <thead><tr>
                        <th scope="col">{t!(i18n, billing.item)}</th>
                        <th scope="col" class="num">{t!(i18n, billing.quantity)}</th>
                        <th scope="col" class="num">{t!(i18n, billing.unit_price)}</th>
                        <th scope="col" class="num">{t!(i18n, billing.amount)}</th>
                    </tr></thead>
                    <tbody>
                        {d.lines.into_iter().map(|l| {
                            let name = if en { l.name_en.clone() } else { l.name_ko.clone() };
                            let unit = if en { l.unit_en.clone() } else { l.unit_ko.clone() };
                            let late = l.late.then(|| view! { " " <span class="badge">{t!(i18n, billing.late_usage, month = l.usage_month.clone())}</span> });
                            // Units x paid days / month days: the quantity beside it, checkable by hand.
                            let days = match (l.prorated, l.paid_days) {
                                (Some(p), Some(days)) => Some(view! { <span class="hint">" · " {t!(i18n, billing.prorated, units = p.units, days = days, month_days = p.month_days)}</span> }.into_any()),
                                (None, Some(days)) => Some(view! { <span class="hint">" · " {t!(i18n, billing.paid_days, days = days)}</span> }.into_any()),
                                _ => None,
                            };
                            view! {
                                <tr>
                                    <td>{name}{late}{days}</td>
                                    <td class="num">{l.quantity.clone()} " " {unit}</td>
                                    <td class="num">{l.unit_price.clone()}</td>
                                    <td class="num">{format_krw(l.amount)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr><th scope="row" colspan="3">{t!(i18n, billing.subtotal)}</th><td class="num">{format_krw(d.subtotal)}</td></tr>
                        {(d.credited > 0).then(|| view! { <tr><th scope="row" colspan="3">{t!(i18n, billing.credits)}</th><td class="num">"-" {format_krw(d.credited)}</td></tr> })}
                        <tr><th scope="row" colspan="3">{t!(i18n, billing.vat, vat = d.vat_percent.clone())}</th><td class="num">{format_krw(d.vat)}</td></tr>
                        <tr class="grand"><th scope="row" colspan="3">{t!(i18n, billing.total)}</th><td class="num" data-test="invoice-total">{krw(d.total)}</td></tr>
                        {(d.credit_noted > 0).then(|| view! { <tr><th scope="row" colspan="3">{t!(i18n, billing.credit_notes)}</th><td class="num">"-" {format_krw(d.credit_noted)}</td></tr> })}
                        <tr><th scope="row" colspan="3">{t!(i18n, billing.paid)}</th><td class="num">{format_krw(s.paid_amount)}</td></tr>
                        <tr class="grand"><th scope="row" colspan="3">{t!(i18n, billing.balance)}</th><td class="num" data-test="invoice-balance">{krw(s.balance)}</td></tr>
                    </tfoot>
                </table>
            </div>
            {(!d.payments.is_empty()).then(|| view! {
                <h2>{t!(i18n, billing.payments)}</h2>
                <ul class="plain" data-test="payments">
                    {d.payments.into_iter().map(|p| view! {
                        <li>{p.paid_on} " · " {krw(p.amount)} " · " {method_label(i18n, &p.method)}
                            {(!p.reference.is_empty()).then(|| view! { " · " <span class="mono">{p.reference.clone()}</span> })}
                            {p.recorded_by.map(|by| view! { " · " {by} })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!d.credit_notes.is_empty()).then(|| {
                let staff = d.credit_notes.iter().any(|n| n.created_by.is_some());
                view! {
                    <h2>{t!(i18n, billing.credit_notes)}</h2>
                    <div class="table-wrap">
                        <table data-test="credit-notes">
                            <thead><tr>
                                <th scope="col">{t!(i18n, billing.invoice_number)}</th>
                                <th scope="col">{t!(i18n, billing.credit_note_date)}</th>
                                <th scope="col" class="num">{t!(i18n, billing.amount)}</th>
                                <th scope="col">{t!(i18n, billing.credit_note_reason)}</th>
                                {staff.then(|| view! { <th scope="col">{t!(i18n, billing.credit_note_by)}</th> })}
                            </tr></thead>
                            <tbody>
                                {d.credit_notes.into_iter().map(|n| view! {
                                    <tr>
                                        <td class="mono">{n.number}</td>
                                        <td>{n.created_at}</td>
                                        <td class="num">{format_krw(n.amount)}</td>
                                        <td class="note-reason">{n.reason}</td>
                                        {staff.then(|| view! { <td>{n.created_by.unwrap_or_default()}</td> })}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
            <p class="hint">{t!(i18n, billing.rounding_note)}</p>
        </article>
    }
}

pub fn method_label(i18n: I18nContext<Locale>, code: &str) -> String {
    match code {
        "bank_transfer" => t_string!(i18n, billing.method_bank_transfer).to_string(),
        "card" => t_string!(i18n, billing.method_card).to_string(),
        _ => t_string!(i18n, billing.method_other).to_string(),
    }
}
