//! The public price list (R2.3): no log-in; the prices in force now, and the next version
//! with the month it starts, if one is announced.
use crate::i18n::*;
use crate::model::billing::{PriceItemView, PricePage, PriceVersionView};
use crate::model::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "prices")]
pub async fn price_list() -> Result<PricePage, AppError> {
    use crate::server::context;
    let state = context::state()?;
    crate::server::prices::page(&state, chrono::Utc::now())
        .await
        .map_err(context::internal)
}

#[component]
pub fn PricesPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| price_list());
    view! {
        <Title text=move || t_string!(i18n, billing.prices_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, billing.prices_title)}</h1>
            <p class="lead">{t!(i18n, billing.prices_lead)}</p>
            <Suspense fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(_) => view! { <p class="notice notice-error">{t!(i18n, billing.prices_unavailable)}</p> }.into_any(),
                        Ok(p) => view! {
                            {match p.current {
                                Some(v) => view! {
                                    <h2>{t!(i18n, billing.prices_current, month = v.effective_from.clone())}</h2>
                                    <PriceTableView v=v.clone() test="prices-current" />
                                }.into_any(),
                                None => view! { <p class="empty">{t!(i18n, billing.prices_none)}</p> }.into_any(),
                            }}
                            <p class="hint">{t!(i18n, billing.prices_vat, vat = p.vat_percent.clone())}</p>
                            {p.next.map(|v| view! {
                                <h2 data-test="prices-next-title">{t!(i18n, billing.prices_next, month = v.effective_from.clone())}</h2>
                                <PriceTableView v=v.clone() test="prices-next" />
                            })}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One version's prices as a table (also used by the admin view).
#[component]
pub fn PriceTableView(v: PriceVersionView, test: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let en = move || i18n.get_locale_untracked() == Locale::en;
    let name = move |i: &PriceItemView| {
        if en() {
            i.name_en.clone()
        } else {
            i.name_ko.clone()
        }
    };
    let unit = move |i: &PriceItemView| {
        if en() {
            i.unit_en.clone()
        } else {
            i.unit_ko.clone()
        }
    };
    view! {
        <div class="table-wrap">
            <table data-test=test>
                <thead><tr>
                    <th scope="col">{t!(i18n, billing.item)}</th>
                    <th scope="col">{t!(i18n, billing.unit)}</th>
                    <th scope="col" class="num">{t!(i18n, billing.unit_price)}</th>
                </tr></thead>
                <tbody>
                    {v.items.into_iter().map(|i| view! {
                        <tr>
                            <td>{name(&i)}</td>
                            <td>{unit(&i)}</td>
                            <td class="num">{i.unit_price.clone()} " KRW"</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
