//! One SLA statement: the figures and how they follow from each other, the month timeline
//! (down, excluded, no data), each outage and excluded period, the print view and CSV.
use super::{project_statement, tr};
use crate::domain::billing::money::format_krw;
use crate::model::sla::{
    RevisedFigure, RevisionComparison, StatementView, TimelineKind, TimelineMark,
};
use crate::pages::auth::guard::{CustomerOnly, is_customer};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn krw(n: i64) -> String {
    format!("{} KRW", format_krw(n))
}

type Key = (Option<i64>, String, i64);

fn statement_resource() -> Resource<Option<StatementView>> {
    let customer = is_customer();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || -> Key {
        (
            params.get().get("id").and_then(|s| s.parse::<i64>().ok()),
            params.get().get("month").unwrap_or_default(),
            query
                .get()
                .get("revision")
                .and_then(|r| r.parse().ok())
                .unwrap_or(0),
        )
    };
    Resource::new(key, move |(id, month, revision)| async move {
        if !customer {
            return None;
        }
        project_statement(id?, month, revision).await.ok()
    })
}

#[component]
pub fn StatementPage() -> impl IntoView {
    let data = statement_resource();
    view! {
        <Title text=tr("SLA 보고서", "SLA statement") />
        <CustomerOnly>
            <section class="page">
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            None => view! { <NotFound /> }.into_any(),
                            Some(v) => {
                                let base = format!("/projects/{}/sla/{}", v.project_id, v.month);
                                let rev = format!("?revision={}", v.revision);
                                view! {
                                    <nav class="subnav no-print">
                                        <a href=format!("/projects/{}/sla", v.project_id)>{tr("SLA 보고서 목록", "All statements")}</a>
                                        <a href=format!("{base}/print{rev}") data-test="print-link">{tr("인쇄용 보기", "Print view")}</a>
                                        <a href=format!("/projects/{}/sla/{}/csv{rev}", v.project_id, v.month) download="">"CSV"</a>
                                        {(v.revisions.len() > 1).then(|| v.revisions.iter().map(|r| view! {
                                            <a href=format!("{base}?revision={r}") aria-current=(*r == v.revision).then_some("page")>{tr("개정", "Revision")} " " {*r}</a>
                                        }).collect_view())}
                                    </nav>
                                    <StatementDocument v />
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
pub fn StatementPrintPage() -> impl IntoView {
    let data = statement_resource();
    view! {
        <CustomerOnly>
            <section class="page print-page">
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            None => view! { <NotFound /> }.into_any(),
                            Some(v) => view! {
                                <Title text=format!("SLA {} {}", v.domain_prefix, v.month) />
                                <StatementDocument v />
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </CustomerOnly>
    }
}

/// The statement itself, figures first, each with how it is made.
#[component]
pub fn StatementDocument(v: StatementView) -> impl IntoView {
    let basis = if v.fee_basis == "trailing_3_months" {
        tr(
            "최근 3개월 평균 청구 금액",
            "Trailing 3-month average charge",
        )
    } else {
        tr(
            "해당 월 청구 금액 (부가세·크레딧 제외)",
            "That month's invoiced charge (before VAT and credits)",
        )
    };
    let reason = v.ineligible_reason.as_deref().map(|r| match r {
        "not_paid_all_month" => tr(
            "보상 대상이 아닙니다: 해당 월 전체 기간 동안 유료 서비스를 이용하지 않았습니다.",
            "No credit is due: the project was not on paid service for the whole month.",
        ),
        _ => tr(
            "보상 대상이 아닙니다: 발행된 청구서가 없습니다.",
            "No credit is due: no invoice has been issued yet.",
        ),
    });
    let months = v
        .fee_basis_months
        .iter()
        .map(|(m, c)| format!("{m}: {}", krw(*c)))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <article class="statement" data-test="statement">
            <div class="statement-head">
                <h1>{tr("SLA 가용성 보고서", "SLA availability statement")} " · " {v.month.clone()}</h1>
                <dl class="facts">
                    <dt>{tr("프로젝트", "Project")}</dt><dd>{v.project_name.clone()} " (" <span class="mono">{v.domain_prefix.clone()}</span> ")"</dd>
                    <dt>{tr("개정", "Revision")}</dt><dd data-test="revision">{v.revision}</dd>
                    <dt>{tr("발행", "Issued")}</dt><dd>{v.issued_at.clone()}</dd>
                    <dt>{tr("보상 정책 버전", "Credit policy version")}</dt><dd>{v.policy_version}</dd>
                </dl>
                {v.revision_reason.clone().map(|r| view! {
                    <p class="notice" data-test="revision-reason">{tr("개정 사유: ", "Why revised: ")} {r}</p>
                })}
            </div>
            {v.revised_from.clone().map(|c| view! { <RevisionChanges c revision=v.revision /> })}
            <h2>{tr("산정 내역", "Figures")}</h2>
            <div class="table-wrap">
                <table class="figures" data-test="figures">
                    <tbody>
                        <tr><th scope="row">{tr("월 전체 시간", "Minutes in the month")}</th><td class="num">{v.month_minutes}</td><td class="hint">{v.days_in_month} {tr("일 × 1,440분", " days × 1,440")}</td></tr>
                        <tr><th scope="row">{tr("서비스 시간 (유료)", "Service minutes (paid)")}</th><td class="num" data-test="service-minutes">{v.service_minutes}</td><td class="hint">{tr("유료 요금제였던 시간", "minutes on the paid plan")}</td></tr>
                        <tr><th scope="row">{tr("장애 시간 (제외 전)", "Outage minutes before exclusions")}</th><td class="num">{v.outage_minutes + v.excluded_minutes}</td><td class="hint">{tr("5분 이상 연속된 장애의 합", "sum of runs of 5+ down minutes")}</td></tr>
                        <tr><th scope="row">{tr("제외 시간", "Excluded minutes")}</th><td class="num" data-test="excluded-minutes">{v.excluded_minutes}</td><td class="hint">{tr("공지된 점검·면책 기간과 겹친 장애 시간", "outage inside announced maintenance or exclusions")}</td></tr>
                        <tr><th scope="row">{tr("장애 시간", "Outage minutes")}</th><td class="num" data-test="outage-minutes">{v.outage_minutes}</td><td class="hint">{tr("제외 전 − 제외", "before exclusions − excluded")}</td></tr>
                        <tr><th scope="row">{tr("데이터 없음 (정상 처리)", "No data (counted as up)")}</th><td class="num" data-test="no-data-minutes">{v.no_data_minutes}</td><td class="hint">{tr("장애 구간 밖의 측정 공백", "probe gaps outside outages")}</td></tr>
                        <tr><th scope="row">{tr("가용성", "Availability")}</th><td class="num" data-test="availability">{v.availability_percent.clone()} " %"</td><td class="hint">"100 × (1 − " {v.outage_minutes} " / " {v.service_minutes} ")" {tr(", 소수점 셋째 자리 아래 버림", ", truncated to 3 decimals")}</td></tr>
                        <tr><th scope="row">{tr("목표", "Target")}</th><td class="num">{v.target_percent.clone()} " %"</td><td></td></tr>
                        <tr><th scope="row">{tr("보상 구간", "Tier")}</th><td class="num" data-test="tier">{v.tier.clone().unwrap_or_else(|| tr("목표 달성", "target met").to_string())}</td><td class="hint">{v.credit_rate_percent.clone()} " %"</td></tr>
                        <tr><th scope="row">{tr("산정 기준 금액", "Fee basis")}</th><td class="num" data-test="fee-basis">{krw(v.fee_basis_krw)}</td><td class="hint">{basis} {(!months.is_empty()).then(|| format!(" ({months})"))}</td></tr>
                        <tr><th scope="row">{tr("절사 전 보상액", "Credit before rounding")}</th><td class="num">{v.credit_before_rounding.clone()} " KRW"</td><td class="hint">{krw(v.fee_basis_krw)} " × " {v.credit_rate_percent.clone()} " %"</td></tr>
                        <tr class="total"><th scope="row">{tr("보상액", "Credit")}</th><td class="num" data-test="credit">{krw(v.credit_krw)}</td><td class="hint">{tr("10원 미만 버림, 다음 청구서에서 이 프로젝트에만 차감", "rounded down to 10 KRW; deducted on this project's next invoice")}</td></tr>
                    </tbody>
                </table>
            </div>
            {reason.map(|r| view! { <p class="notice" data-test="ineligible">{r}</p> })}
            <h2>{tr("월간 타임라인", "Month timeline")}</h2>
            <Timeline days=v.days_in_month marks=v.timeline.clone() />
            <h2>{tr("장애", "Outages")}</h2>
            {if v.outages.is_empty() {
                view! { <p class="empty">{tr("이 달에는 5분 이상 이어진 장애가 없습니다.", "No outage of 5 minutes or more this month.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table data-test="outages">
                        <thead><tr>
                            <th scope="col">{tr("시작", "Start")}</th><th scope="col">{tr("종료", "End")}</th>
                            <th scope="col" class="num">{tr("분", "Minutes")}</th><th scope="col" class="num">{tr("제외(분)", "Excluded")}</th>
                        </tr></thead>
                        <tbody>{v.outages.iter().map(|o| view! {
                            <tr><td>{o.start.clone()}</td><td>{o.end.clone()}</td><td class="num">{o.minutes}</td><td class="num">{o.excluded_minutes}</td></tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
            <h2>{tr("제외 기간", "Excluded periods")}</h2>
            {if v.exclusions.is_empty() {
                view! { <p class="empty">{tr("제외 기간이 없습니다.", "No excluded period.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table data-test="exclusions">
                        <thead><tr>
                            <th scope="col">{tr("시작", "Start")}</th><th scope="col">{tr("종료", "End")}</th>
                            <th scope="col">{tr("분류", "Category")}</th><th scope="col">{tr("사유", "Reason")}</th>
                            <th scope="col">{tr("반영", "Counted")}</th>
                        </tr></thead>
                        <tbody>{v.exclusions.iter().map(|e| view! {
                            <tr data-kind=e.kind.clone()>
                                <td>{e.start.clone()}</td><td>{e.end.clone()}</td>
                                <td>{e.category_label.clone()}</td><td>{e.reason.clone()}</td>
                                <td>{if e.counted { tr("예", "yes") } else { tr("아니요 (사전 공지 기한 미달)", "no (announced too late)") }}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
            <h2>{tr("데이터 없음", "No data")}</h2>
            {if v.no_data.is_empty() {
                view! { <p class="empty">{tr("모든 분에 측정 결과가 있습니다.", "Every minute has probe results.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table data-test="no-data">
                        <thead><tr><th scope="col">{tr("시작", "Start")}</th><th scope="col">{tr("종료", "End")}</th><th scope="col" class="num">{tr("분", "Minutes")}</th></tr></thead>
                        <tbody>{v.no_data.iter().map(|(a, b, n)| view! {
                            <tr><td>{a.clone()}</td><td>{b.clone()}</td><td class="num">{*n}</td></tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </article>
    }
}

fn figure_label(f: RevisedFigure) -> &'static str {
    match f {
        RevisedFigure::OutageMinutes => tr("장애 시간(분)", "Outage minutes"),
        RevisedFigure::ExcludedMinutes => tr("제외 시간(분)", "Excluded minutes"),
        RevisedFigure::NoDataMinutes => tr("데이터 없음(분)", "No-data minutes"),
        RevisedFigure::AvailabilityPercent => tr("가용성", "Availability"),
        RevisedFigure::CreditRatePercent => tr("보상 비율", "Credit rate"),
        RevisedFigure::FeeBasisKrw => tr("산정 기준 금액", "Fee basis"),
        RevisedFigure::CreditKrw => tr("보상액", "Credit"),
    }
}

/// What this revision changed: the previous revision's figures beside this one's, the
/// changed ones marked (in words too, not by colour alone). The reason is in the head.
#[component]
fn RevisionChanges(c: RevisionComparison, revision: i64) -> impl IntoView {
    let changed = c.figures.iter().filter(|f| f.changed).count();
    let summary = if crate::i18n::use_i18n().get_locale_untracked() == crate::i18n::Locale::en {
        format!(
            "Compared with revision {} (issued {}): {changed} of {} figures changed.",
            c.previous_revision,
            c.previous_issued_at,
            c.figures.len()
        )
    } else {
        format!(
            "개정 {} ({} 발행) 대비 {}개 항목 중 {changed}개가 바뀌었습니다.",
            c.previous_revision,
            c.previous_issued_at,
            c.figures.len()
        )
    };
    view! {
        <section class="revision-changes" data-test="revision-changes" aria-labelledby="revision-changes-title">
            <h2 id="revision-changes-title">{tr("이번 개정에서 바뀐 점", "What this revision changed")}</h2>
            <p class="hint" data-test="changes-summary">{summary}</p>
            <div class="table-wrap">
                <table data-test="revision-figures">
                    <thead><tr>
                        <th scope="col">{tr("항목", "Figure")}</th>
                        <th scope="col" class="num">{tr("개정 ", "Revision ")} {c.previous_revision}</th>
                        <th scope="col" class="num">{tr("개정 ", "Revision ")} {revision}</th>
                        <th scope="col" class="num">{tr("변화", "Change")}</th>
                    </tr></thead>
                    <tbody>{c.figures.into_iter().map(|f| view! {
                        <tr class:changed=f.changed data-figure=format!("{:?}", f.figure) data-changed=f.changed.to_string()>
                            <th scope="row">{figure_label(f.figure)}</th>
                            <td class="num" data-test="before">{f.before}</td>
                            <td class="num" data-test="after">{f.after}</td>
                            <td class="num" data-test="difference">{match f.difference {
                                Some(d) => view! { <strong>{d}</strong> }.into_any(),
                                None if f.changed => view! { <strong>{tr("바뀜", "changed")}</strong> }.into_any(),
                                None => view! { <span class="muted">{tr("같음", "same")}</span> }.into_any(),
                            }}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            </div>
        </section>
    }
}

fn class_of(k: TimelineKind) -> &'static str {
    match k {
        TimelineKind::Down => "tl-down",
        TimelineKind::Excluded => "tl-excluded",
        TimelineKind::NoData => "tl-nodata",
        TimelineKind::NotInService => "tl-out",
    }
}

/// One row per KST day: the date as text, then the day's 1,440 minutes as a bar with coloured
/// stretches for down, excluded, no data and unpaid time. Drawn on the server, so it needs no
/// JavaScript. Each bar is its own SVG stretched to the row's width (`preserveAspectRatio
/// none`, no text inside), so rows keep their height and the dates and hours stay text at the
/// page's size on a phone as on a desk; marks keep at least 2 px of width at any scale (a
/// non-scaling stroke). The tables below carry the same facts for screen readers.
#[component]
fn Timeline(days: u32, marks: Vec<TimelineMark>) -> impl IntoView {
    let label = tr(
        "월간 타임라인: 빨강 장애, 파랑 제외, 노랑 데이터 없음, 회색 유료 서비스 외",
        "Month timeline: red down, blue excluded, yellow no data, grey outside paid service",
    );
    view! {
        <figure class="timeline">
            <div class="tl-grid" role="img" aria-label=label data-test="timeline">
                <div class="tl-row tl-hours">
                    <span></span>
                    <span class="tl-scale">
                        {[0u32, 6, 12, 18, 24].into_iter().map(|h| view! {
                            <span class=format!("h{h}")>{format!("{h:02}:00")}</span>
                        }).collect_view()}
                    </span>
                </div>
                {(1..=days).map(|d| {
                    let day: Vec<TimelineMark> = marks.iter().filter(|m| m.day.max(1) == d).copied().collect();
                    view! {
                        <div class="tl-row" data-test="timeline-day">
                            <span class="tl-date">{d}</span>
                            <svg viewBox="0 0 1440 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                                <rect x="0" y="0" width="1440" height="10" class="tl-up" />
                                <path d="M360 0V10M720 0V10M1080 0V10" class="tl-hour" />
                                {day.into_iter().map(|m| view! {
                                    <rect x=m.from_minute y="0"
                                        width=(m.to_minute.saturating_sub(m.from_minute)).max(2) height="10"
                                        class=format!("mark {}", class_of(m.kind)) data-kind=class_of(m.kind)>
                                        <title>{format!("{}: {:02}:{:02}–{:02}:{:02}", m.day, m.from_minute / 60, m.from_minute % 60, m.to_minute / 60, m.to_minute % 60)}</title>
                                    </rect>
                                }).collect_view()}
                            </svg>
                        </div>
                    }
                }).collect_view()}
            </div>
            <figcaption class="legend">
                <span class="key tl-down"></span>{tr("장애", "Down")}
                <span class="key tl-excluded"></span>{tr("제외", "Excluded")}
                <span class="key tl-nodata"></span>{tr("데이터 없음", "No data")}
                <span class="key tl-out"></span>{tr("유료 서비스 외", "Not in paid service")}
            </figcaption>
        </figure>
    }
}
