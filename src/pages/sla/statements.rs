//! A project's SLA statements: one row per month (its latest revision), newest first.
use super::{project_statements, tr};
use crate::domain::billing::money::format_krw;
use crate::pages::auth::guard::{CustomerOnly, is_customer};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StatementsPage() -> impl IntoView {
    let customer = is_customer();
    let params = use_params_map();
    let id = move || params.get().get("id").and_then(|s| s.parse::<i64>().ok());
    let data = Resource::new(id, move |id| async move {
        if !customer {
            return None;
        }
        project_statements(id?).await.ok().map(|d| (id, d))
    });
    view! {
        <Title text=tr("SLA 보고서", "SLA statements") />
        <CustomerOnly>
            <section class="page">
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            None => view! { <NotFound /> }.into_any(),
                            Some((Some(id), (name, list))) => view! {
                                <h1>{tr("SLA 보고서", "SLA statements")} " · " {name.clone()}</h1>
                                <nav class="subnav">
                                    <a href=format!("/projects/{id}")>{name}</a>
                                    <a href="/help/compensation">{tr("보상 기준", "Compensation scheme")}</a>
                                </nav>
                                <p class="hint">{tr(
                                    "유료 프로젝트는 매월 자동으로 가용성 보고서를 받습니다. 월이 끝나고 정산 기간이 지나면 발행되며, 보상액은 다음 청구서에서 차감됩니다.",
                                    "Every paid project gets an availability statement each month, issued after the month has ended and settled; a credit is deducted on the next invoice.",
                                )}</p>
                                {if list.is_empty() {
                                    view! { <p class="empty" data-test="no-statements">{tr("아직 발행된 보고서가 없습니다.", "No statement has been issued yet.")}</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                            <table data-test="statements">
                                                <thead><tr>
                                                    <th scope="col">{tr("월", "Month")}</th>
                                                    <th scope="col" class="num">{tr("가용성", "Availability")}</th>
                                                    <th scope="col" class="num">{tr("장애(분)", "Outage (min)")}</th>
                                                    <th scope="col" class="num">{tr("보상액", "Credit")}</th>
                                                    <th scope="col">{tr("발행", "Issued")}</th>
                                                </tr></thead>
                                                <tbody>
                                                    {list.into_iter().map(|s| view! {
                                                        <tr>
                                                            <td><a href=format!("/projects/{id}/sla/{}", s.month)>{s.month.clone()}</a>
                                                                {(s.revision > 1).then(|| view! { " " <span class="badge">{tr("개정", "rev.")} " " {s.revision}</span> })}</td>
                                                            <td class="num">{s.availability_percent.clone()} " %"</td>
                                                            <td class="num">{s.outage_minutes}</td>
                                                            <td class="num">{if s.eligible { format!("{} KRW", format_krw(s.credit_krw)) } else { tr("대상 아님", "not eligible").to_string() }}</td>
                                                            <td>{s.issued_at.clone()}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                            }.into_any(),
                            Some((None, _)) => view! { <NotFound /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </CustomerOnly>
    }
}
