//! `/admin/support`: the staff queue. Filters are a plain GET form (status, kind, severity,
//! project, assignee, breached or due within the hour); rows are sorted by due time.
use crate::domain::support::ticket::{Severity, TicketKind, TicketStatus};
use crate::model::error::AppError;
use crate::model::support::{StaffQueue, TargetShare};
use crate::pages::auth::guard::StaffOnly;
use crate::pages::support::{labels, tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/api", endpoint = "admin/support/queue")]
pub async fn support_queue(
    status: Option<String>,
    kind: Option<String>,
    severity: Option<String>,
    project: Option<String>,
    assignee: Option<String>,
    due: Option<String>,
    page: Option<i64>,
) -> Result<StaffQueue, AppError> {
    use crate::server::context;
    use crate::server::db::support::QueueFilter;
    let (state, auth, _) = context::require_staff()?;
    let known = |v: Option<String>, ok: &dyn Fn(&str) -> bool| v.filter(|s| ok(s));
    let now = chrono::Utc::now();
    let status = known(status, &|s| TicketStatus::from_code(s).is_some());
    let filter = QueueFilter {
        open_only: status.is_none(),
        status,
        kind: known(kind, &|s| TicketKind::from_code(s).is_some()),
        severity: known(severity, &|s| Severity::from_code(s).is_some()),
        project_id: project.and_then(|p| p.trim().parse().ok()),
        assignee_id: match assignee.as_deref() {
            Some("me") => Some(auth.user.id()),
            Some(a) => a.parse().ok(),
            None => None,
        },
        unassigned: assignee.as_deref() == Some("none"),
        due_before_ms: match due.as_deref() {
            Some("breached") => Some(now.timestamp_millis()),
            Some("hour") => Some((now + chrono::Duration::hours(1)).timestamp_millis()),
            _ => None,
        },
    };
    crate::server::support::tickets::staff_queue(&state, &filter, page.unwrap_or(1))
        .await
        .map_err(context::internal)
}

/// This KST month's (or `month` = `YYYY-MM`) share of incident reports that met each promise.
#[server(prefix = "/api", endpoint = "admin/support/targets")]
pub async fn support_targets(
    month: Option<String>,
) -> Result<(String, Vec<TargetShare>), AppError> {
    use crate::server::context;
    use chrono::Datelike;
    let (state, _, _) = context::require_staff()?;
    let now = chrono::Utc::now();
    let today = crate::domain::kst::kst_date(now);
    let first = month
        .and_then(|m| {
            chrono::NaiveDate::parse_from_str(&format!("{}-01", m.trim()), "%Y-%m-%d").ok()
        })
        .or_else(|| today.with_day(1))
        .unwrap_or(today);
    let shares = crate::server::support::tickets::targets_met(&state, first, now)
        .await
        .map_err(context::internal)?;
    Ok((first.format("%Y-%m").to_string(), shares))
}

#[component]
fn TargetsTable() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.get().get("month"), support_targets);
    view! {
        <Suspense fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                data.await.ok().map(|(month, shares)| view! {
                    <div class="table-wrap">
                        <table class="table" data-test="targets">
                            <caption>{format!("{month} · {}", tr("장애 신고 약속 준수율", "Incident promises kept"))}</caption>
                            <tbody>
                                {shares.into_iter().map(|s| view! {
                                    <tr>
                                        <th scope="row">{labels::clock(s.clock)}</th>
                                        <td>{if s.decided == 0 { "—".to_string() } else { format!("{}% ({}/{})", s.met * 100 / s.decided, s.met, s.decided) }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn AdminSupportQueuePage() -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.get().get(k).filter(|v| !v.is_empty());
    let data = Resource::new(
        move || {
            (
                q("status"),
                q("kind"),
                q("severity"),
                q("project"),
                q("assignee"),
                q("due"),
                q("page").and_then(|p| p.parse::<i64>().ok()),
            )
        },
        |(status, kind, severity, project, assignee, due, page)| {
            support_queue(status, kind, severity, project, assignee, due, page)
        },
    );
    let sel = move |k: &str, v: &str| q(k).as_deref() == Some(v);
    view! {
        <StaffOnly>
            <Title text=tr("지원 대기열", "Support queue") />
            <section class="page">
                <h1>{tr("지원 대기열", "Support queue")}</h1>
                <super::AdminNav />
                <p><a href="/admin/support/holidays">{tr("휴일 달력", "Holiday calendar")}</a></p>
                <TargetsTable />
                <form method="get" action="/admin/support" class="filters" data-test="queue-filters">
                    <label>{tr("상태", "Status")} <select name="status">
                        <option value="">{tr("진행 중 전체", "All open")}</option>
                        {TicketStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=sel("status", s.code())>{labels::status(*s)}</option> }).collect_view()}
                    </select></label>
                    <label>{tr("종류", "Kind")} <select name="kind">
                        <option value="">{tr("전체", "All")}</option>
                        {TicketKind::ALL.iter().map(|s| view! { <option value=s.code() selected=sel("kind", s.code())>{labels::kind(*s)}</option> }).collect_view()}
                    </select></label>
                    <label>{tr("심각도", "Severity")} <select name="severity">
                        <option value="">{tr("전체", "All")}</option>
                        {Severity::ALL.iter().map(|s| view! { <option value=s.code() selected=sel("severity", s.code())>{labels::severity(*s)}</option> }).collect_view()}
                    </select></label>
                    <label>{tr("프로젝트 번호", "Project no.")} <input name="project" inputmode="numeric" size="6" value=move || q("project").unwrap_or_default() /></label>
                    <label>{tr("담당", "Assignee")} <select name="assignee">
                        <option value="">{tr("전체", "Anyone")}</option>
                        <option value="me" selected=sel("assignee", "me")>{tr("나", "Me")}</option>
                        <option value="none" selected=sel("assignee", "none")>{tr("미배정", "Unassigned")}</option>
                    </select></label>
                    <label>{tr("기한", "Due")} <select name="due">
                        <option value="">{tr("전체", "Any")}</option>
                        <option value="breached" selected=sel("due", "breached")>{tr("기한 초과", "Breached")}</option>
                        <option value="hour" selected=sel("due", "hour")>{tr("1시간 이내 또는 초과", "Due within an hour or breached")}</option>
                    </select></label>
                    <button type="submit" class="button">{tr("적용", "Apply")}</button>
                </form>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(qu) if qu.tickets.is_empty() => view! { <p class="empty" data-test="empty-queue">{tr("조건에 맞는 문의가 없습니다.", "No tickets match.")}</p> }.into_any(),
                            Ok(qu) => view! {
                                <div class="table-wrap">
                                <table class="table" data-test="queue">
                                    <thead><tr>
                                        <th>{tr("다음 기한", "Next due")}</th>
                                        <th>{tr("제목", "Subject")}</th>
                                        <th>{tr("상태", "Status")}</th>
                                        <th>{tr("종류", "Kind")}</th>
                                        <th>{tr("고객", "Customer")}</th>
                                        <th>{tr("담당", "Assignee")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {qu.tickets.into_iter().map(|t| view! {
                                            <tr class:breached=t.breached>
                                                <td>{match t.next_promise.clone() {
                                                    Some((k, at)) => format!("{}{at} · {}", if t.breached { tr("초과 ", "BREACHED ") } else { "" }, labels::clock(k)),
                                                    None => "—".into(),
                                                }}</td>
                                                <td><a href=format!("/admin/support/{}", t.id)>"#" {t.id} " " {t.subject.clone()}</a></td>
                                                <td>{labels::status(t.status)}</td>
                                                <td>{labels::kind(t.kind)} {t.severity.map(|s| format!(" · {}", labels::severity(s)))}</td>
                                                <td>{t.customer.clone()}</td>
                                                <td>{t.assignee.clone().unwrap_or_else(|| "—".into())}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                                <nav class="pager">
                                    {(qu.page > 1).then(|| view! { <a href=format!("?page={}", qu.page - 1)>{tr("이전", "Previous")}</a> })}
                                    {qu.has_next.then(|| view! { <a href=format!("?page={}", qu.page + 1)>{tr("다음", "Next")}</a> })}
                                </nav>
                            }.into_any(),
                            Err(_) => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}
