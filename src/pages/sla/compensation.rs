//! `/help/compensation`: the public SLA compensation scheme (R8.1), made from the credit
//! policy in force, never written by hand, so the page and the statements cannot disagree.
use super::tr;
use crate::model::error::AppError;
use crate::model::sla::CompensationView;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "help/compensation")]
pub async fn compensation_scheme() -> Result<CompensationView, AppError> {
    use crate::server::context;
    let state = context::state()?;
    crate::server::sla::compensation(&state, chrono::Utc::now())
        .await
        .map_err(context::internal)?
        .ok_or_else(context::not_found)
}

#[component]
pub fn CompensationPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| compensation_scheme());
    view! {
        <Title text=tr("SLA 보상 기준", "SLA compensation scheme") />
        <section class="page prose">
            <h1>{tr("SLA 보상 기준", "SLA compensation scheme")}</h1>
            <Suspense fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(_) => view! { <p class="notice notice-error">{tr("보상 기준을 불러오지 못했습니다.", "The scheme could not be loaded.")}</p> }.into_any(),
                        Ok(c) => view! { <Scheme c /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn basis_text(code: &str) -> &'static str {
    if code == "trailing_3_months" {
        tr(
            "최근 3개월 평균 청구 금액",
            "the average invoiced charge of the last 3 months",
        )
    } else {
        tr(
            "해당 월 프로젝트 청구 금액 (부가세·크레딧 제외)",
            "that month's invoiced charge for the project (before VAT and credits)",
        )
    }
}

#[component]
fn Scheme(c: CompensationView) -> impl IntoView {
    let basis = basis_text(&c.basis);
    // A scheduled version is announced with its bands before it applies.
    let upcoming = c.next_effective_from.clone().map(|from| {
        let basis = basis_text(c.next_basis.as_deref().unwrap_or_default());
        let target = c.next_target_percent.clone().unwrap_or_default();
        view! {
            <section data-test="next-policy">
                <h2>{tr("예정된 보상 기준", "Scheduled change")}</h2>
                <p>{format!("{}{from}{}", tr("", "From "), tr("부터 적용됩니다 (KST). 그 전 달의 보고서는 그달의 기준을 따릅니다.", " on (KST). Statements of earlier months keep the scheme in force in their month."))}</p>
                <p>{tr("월간 가용성 목표: ", "Monthly availability target: ")} <strong>{target} " %"</strong>
                    {tr(" · 보상액 = ", " · Credit = ")} {basis} {tr(" × 보상 비율", " × rate")}</p>
                <div class="table-wrap">
                    <table data-test="next-tiers">
                        <thead><tr><th scope="col">{tr("월간 가용성 (%)", "Monthly availability (%)")}</th><th scope="col" class="num">{tr("보상 비율", "Credit")}</th></tr></thead>
                        <tbody>
                            {c.next_tiers.clone().into_iter().map(|(band, rate)| view! { <tr><td>{band}</td><td class="num">{rate} " %"</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    });
    view! {
        <p data-test="target">{tr("월간 가용성 목표: ", "Monthly availability target: ")} <strong>{c.target_percent.clone()} " %"</strong></p>
        <p>{tr(
            "가용성 = 100 × (1 − 장애 시간 ÷ 유료 서비스 시간). 외부 접속 요청이 5분 이상 연속으로 모두 실패한 시간이 장애 시간이며, 사전 공지된 정기 점검과 약관상 면책 사유에 해당하는 시간은 제외됩니다.",
            "Availability = 100 × (1 − outage minutes ÷ paid service minutes). An outage is 5 minutes or more in which every external connection request fails; announced maintenance and the exclusions of the terms are not counted.",
        )}</p>
        <div class="table-wrap">
            <table data-test="tiers">
                <thead><tr><th scope="col">{tr("월간 가용성 (%)", "Monthly availability (%)")}</th><th scope="col" class="num">{tr("보상 비율", "Credit")}</th></tr></thead>
                <tbody>
                    {c.tiers.into_iter().map(|(band, rate)| view! { <tr><td>{band}</td><td class="num">{rate} " %"</td></tr> }).collect_view()}
                </tbody>
            </table>
        </div>
        <p>{tr("보상액 = ", "Credit = ")} {basis} {tr(" × 보상 비율, 10원 미만 버림.", " × rate, rounded down to 10 KRW.")}</p>
        <ul>
            <li>{tr("유료 프로젝트는 신청 없이 매월 보고서를 받습니다. 월이 끝나고 ", "Every paid project gets a statement each month without a claim, issued ")}{c.settle_hours}{tr("시간 후에 발행됩니다.", " hours after the month ends.")}</li>
            <li>{tr("정기 점검은 시작 ", "Maintenance counts as announced when published ")}{c.lead_hours}{tr("시간 전까지 공지된 경우에만 제외됩니다.", " hours before it starts.")}</li>
            <li>{tr("보상 대상: 직전 한 달 전체를 유료로 이용하고 청구서를 한 번 이상 받은 고객.", "Eligible: customers on paid service for the whole month who have been issued at least one invoice.")}</li>
            <li>{tr("보상액은 해당 프로젝트의 다음 청구서에서만 차감되며 다른 프로젝트나 계정으로 옮길 수 없습니다.", "A credit is deducted on that project's next invoice only; it cannot move to another project or account.")}</li>
        </ul>
        <p class="hint">{tr("보상 정책 버전 ", "Credit policy version ")}{c.version}{tr(", 적용 시작 ", ", in force from ")}{c.effective_from.clone()}
            {c.next_effective_from.map(|n| format!("{}{n}", tr(". 다음 버전 적용: ", ". Next version from ")))}</p>
        {upcoming}
    }
}
