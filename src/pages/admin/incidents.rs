//! `/admin/incidents` (SPEC R6.1, R8.1): the month's MTTR report against the targets, the
//! month's incidents (and every open one), and for operations staff and administrators the
//! forms to record an incident, set its recovery and publish its notice (audited). Other staff
//! read only. Every form is an `ActionForm`, so it works without JavaScript (`server::flash`).
use super::AdminNav;
use crate::domain::incidents::report::format_duration;
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::incidents::{
    AdminIncidentView, AdminIncidentsData, FieldProblem, IncidentForm, PublishOutcome,
    RecordIncidentOutcome, RecoveryOutcome, ReportView,
};
use crate::pages::auth::guard::StaffOnly;
use crate::pages::forms::{form_flash, form_result};
use crate::ui::fields::{Field, FormNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn english() -> bool {
    use_i18n().get_locale_untracked() == Locale::en
}

fn tr(ko: &'static str, en: &'static str) -> &'static str {
    if english() { en } else { ko }
}

#[server(prefix = "/api", endpoint = "admin/incidents")]
pub async fn admin_incidents(
    #[server(default)] month: String,
) -> Result<AdminIncidentsData, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    crate::server::incidents::admin_page(&state, role, &month, chrono::Utc::now())
        .await
        .map_err(context::internal)
}

#[server(prefix = "/api", endpoint = "admin/incidents/record")]
pub async fn record_incident(
    #[server(default)] scope: String,
    #[server(default)] projects: String,
    #[server(default)] started_at: String,
    #[server(default)] recovered_at: String,
    #[server(default)] cause: String,
    #[server(default)] notice_ko: String,
    #[server(default)] notice_en: String,
    #[server(default)] publish: Option<String>,
) -> Result<RecordIncidentOutcome, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    let form = IncidentForm {
        scope,
        projects,
        started_at,
        recovered_at,
        cause,
        notice_ko,
        notice_en,
        publish: publish.is_some_and(|p| !p.is_empty()),
    };
    let out = crate::server::incidents::record(&state, &auth, role, form, chrono::Utc::now())
        .await
        .map_err(context::internal)?;
    crate::server::flash::stash("incident", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "admin/incidents/recovery")]
pub async fn set_incident_recovery(
    incident_id: i64,
    #[server(default)] recovered_at: String,
) -> Result<RecoveryOutcome, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    let out = crate::server::incidents::set_recovery(
        &state,
        &auth,
        role,
        incident_id,
        &recovered_at,
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    crate::server::flash::stash("incident_recovery", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "admin/incidents/publish")]
pub async fn publish_incident(incident_id: i64) -> Result<PublishOutcome, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    let out =
        crate::server::incidents::publish(&state, &auth, role, incident_id, chrono::Utc::now())
            .await
            .map_err(context::internal)?;
    crate::server::flash::stash("incident_publish", &out);
    Ok(out)
}

type Flashes = (Option<String>, Option<String>, Option<String>);

#[component]
pub fn AdminIncidentsPage() -> impl IntoView {
    let query = use_query_map();
    let record = ServerAction::<RecordIncident>::new();
    let recovery = ServerAction::<SetIncidentRecovery>::new();
    let publish = ServerAction::<PublishIncident>::new();
    let data = Resource::new(
        move || {
            (
                query.get().get("month").unwrap_or_default(),
                record.version().get(),
                recovery.version().get(),
                publish.version().get(),
            )
        },
        |(month, ..)| async move {
            let page = admin_incidents(month).await;
            let flashes: Flashes = (
                form_flash("incident".into()).await.ok().flatten(),
                form_flash("incident_recovery".into()).await.ok().flatten(),
                form_flash("incident_publish".into()).await.ok().flatten(),
            );
            (page, flashes)
        },
    );
    view! {
        <StaffOnly>
            <Title text=tr("장애 기록", "Incidents") />
            <section class="page">
                <h1>{tr("장애 기록", "Incidents")}</h1>
                <AdminNav />
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            (Err(_), _) => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                            (Ok(p), flashes) => view! { <IncidentsView p record recovery publish flashes /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

#[component]
fn IncidentsView(
    p: AdminIncidentsData,
    record: ServerAction<RecordIncident>,
    recovery: ServerAction<SetIncidentRecovery>,
    publish: ServerAction<PublishIncident>,
    flashes: Flashes,
) -> impl IntoView {
    let (record_flash, recovery_flash, publish_flash) = flashes;
    let recovery_result =
        form_result::<SetIncidentRecovery, RecoveryOutcome>(recovery, recovery_flash);
    let publish_result = form_result::<PublishIncident, PublishOutcome>(publish, publish_flash);
    let recovery_ok = Signal::derive(move || match recovery_result.get() {
        Some(RecoveryOutcome::Saved { id }) => Some(format!(
            "#{id}: {}",
            tr("복구 시각을 저장했습니다.", "Recovery time saved.")
        )),
        _ => None,
    });
    let publish_ok = Signal::derive(move || match publish_result.get() {
        Some(PublishOutcome::Published { id }) => Some(format!(
            "#{id}: {}",
            tr(
                "공지를 게시했습니다. /incidents 에 보입니다.",
                "Notice published; it is on /incidents now."
            )
        )),
        _ => None,
    });
    let recovery_error = Signal::derive(move || match recovery_result.get()? {
        RecoveryOutcome::Saved { .. } => None,
        RecoveryOutcome::Invalid { id, code } => {
            Some(format!("#{id}: {}", problem_text(&code, None)))
        }
        RecoveryOutcome::Changed { id } => Some(format!(
            "#{id}: {}",
            tr(
                "그 사이 다른 담당자가 복구 시각을 바꿨습니다. 지금 값을 확인하세요.",
                "Someone else changed the recovery time meanwhile; check the value shown now."
            )
        )),
        RecoveryOutcome::NotFound => {
            Some(tr("장애를 찾을 수 없습니다.", "No such incident.").to_string())
        }
        RecoveryOutcome::NotAllowed => Some(not_allowed_text().to_string()),
    });
    let publish_error = Signal::derive(move || match publish_result.get()? {
        PublishOutcome::Published { .. } => None,
        PublishOutcome::AlreadyPublished { id } => Some(format!(
            "#{id}: {}",
            tr(
                "이미 게시된 공지입니다.",
                "That notice was already published."
            )
        )),
        PublishOutcome::NotFound => {
            Some(tr("장애를 찾을 수 없습니다.", "No such incident.").to_string())
        }
        PublishOutcome::NotAllowed => Some(not_allowed_text().to_string()),
    });
    let may_write = p.may_write;
    let month = p.month.clone();
    view! {
        <nav class="pager" aria-label=tr("월 선택", "Month")>
            <a href=format!("/admin/incidents?month={}", p.prev_month) data-test="prev-month">{tr("← 이전 달", "← Previous month")}</a>
            <strong data-test="month">{p.month.clone()}</strong>
            {p.next_month.clone().map(|n| view! { <a href=format!("/admin/incidents?month={n}")>{tr("다음 달 →", "Next month →")}</a> })}
        </nav>
        {p.month_invalid.then(|| view! { <p class="notice notice-error">{tr("월은 YYYY-MM 형식의 지난 달이나 이번 달이어야 합니다. 이번 달을 보여 드립니다.", "The month must be YYYY-MM, this month or earlier; showing this month.")}</p> })}
        <ReportPanel r=p.report.clone() />
        <div data-test="row-result">
            <FormNotice message=recovery_ok success=true />
            <FormNotice message=recovery_error />
            <FormNotice message=publish_ok success=true />
            <FormNotice message=publish_error />
        </div>
        {may_write.then(|| view! { <RecordForm record flash=record_flash /> })}
        <h2>{tr("장애 목록", "Incidents")} " (" {month} {tr(", 진행 중 포함)", ", and every open one)")}</h2>
        {if p.incidents.is_empty() {
            view! { <p class="empty" data-test="no-incidents">{tr("이 달에 기록된 장애가 없습니다.", "No incidents recorded for this month.")}</p> }.into_any()
        } else {
            view! {
                <ul class="plain" data-test="incidents">
                    {p.incidents.into_iter().map(|i| view! { <IncidentCard i may_write recovery publish /> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

fn not_allowed_text() -> &'static str {
    tr(
        "운영 담당자와 관리자만 장애를 기록할 수 있습니다.",
        "Only operations staff and administrators record incidents.",
    )
}

fn verdict_text(code: &str) -> &'static str {
    match code {
        "met" => tr("달성", "Met"),
        "missed" => tr("미달", "Missed"),
        "undecided" => tr("진행 중 장애로 미확정", "Not final: an incident is open"),
        _ => tr("장애 없음", "No failures"),
    }
}

fn duration_minutes(m: Option<i64>) -> String {
    m.map(|m| format_duration(m * 60, english()))
        .unwrap_or_else(|| "—".into())
}

fn duration_seconds(s: Option<i64>) -> String {
    s.map(|s| format_duration(s, english()))
        .unwrap_or_else(|| "—".into())
}

#[component]
fn ReportPanel(r: ReportView) -> impl IntoView {
    let row = |label: &'static str,
               value: String,
               target: &'static str,
               verdict: Option<String>,
               test: &'static str| {
        let class = match verdict.as_deref() {
            Some("met") => "badge badge-paid",
            Some("missed") => "badge badge-overdue",
            _ => "badge",
        };
        view! {
            <tr data-test=test>
                <th scope="row">{label}</th>
                <td class="num" data-test="value">{value}</td>
                <td>{target}</td>
                <td>{verdict.map(|v| view! { <span class=class data-test="verdict" data-verdict=v.clone()>{verdict_text(&v)}</span> })}</td>
            </tr>
        }
    };
    let open = if r.open == 0 {
        "0".to_string()
    } else {
        format!(
            "{} ({} {})",
            r.open,
            tr("가장 긴 것", "longest so far"),
            duration_minutes(r.open_longest_minutes)
        )
    };
    view! {
        <section class="panel" data-test="report">
            <h2>{tr("월간 신뢰성 보고", "Monthly reliability report")} " · " {r.month.clone()}</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{tr("항목", "Figure")}</th>
                        <th scope="col">{tr("값", "Value")}</th>
                        <th scope="col">{tr("목표", "Target")}</th>
                        <th scope="col">{tr("판정", "Verdict")}</th>
                    </tr></thead>
                    <tbody>
                        {row(tr("장애 건수 (복구됨)", "Failures (recovered)"), r.failures.to_string(), "", None, "failures")}
                        {row(tr("총 장애 시간", "Total failure time"), duration_minutes(Some(r.total_minutes)), "", None, "total")}
                        {row(tr("평균 복구 시간 (MTTR)", "Mean time to repair (MTTR)"), duration_seconds(r.mttr_seconds), tr("2시간 미만", "under 2 h"), Some(r.mttr_verdict.clone()), "mttr")}
                        {row(tr("최대 복구 시간 (MTTSR)", "Longest recovery (MTTSR)"), duration_minutes(r.longest_minutes), tr("4시간 미만", "under 4 h"), Some(r.longest_verdict.clone()), "mttsr")}
                        {row(tr("회복 시간 (MTTR + MTTSR)", "Recovery time (MTTR + MTTSR)"), duration_seconds(r.combined_seconds), tr("6시간 미만", "under 6 h"), Some(r.combined_verdict.clone()), "combined")}
                        {row(tr("진행 중 장애", "Open incidents"), open, "", None, "open")}
                    </tbody>
                </table>
            </div>
            <p class="hint">{tr(
                "MTTR = 총 장애 시간 / 장애 건수 (SPEC R6.1). 장애는 시작한 달(KST)에 전체 시간으로 셉니다. 진행 중 장애는 복구되면 집계하되, 이미 목표를 넘겼으면 미달로 판정합니다. 시간은 분 단위로 정확히 계산하고 초 단위 미만은 버려 보여 줍니다.",
                "MTTR = total failure time / number of failures (SPEC R6.1). An incident counts in the KST month it started, with its whole duration. Open incidents count once recovered, but one already past a target makes it missed. Figures are exact in minutes, shown truncated to the second.",
            )}</p>
        </section>
    }
}

/// The message for a stable problem code (`prefix` names the project it is about).
fn problem_text(code: &str, prefix: Option<&str>) -> String {
    let p = prefix.unwrap_or_default();
    let en = english();
    match code {
        "scope_unknown" => tr(
            "영향 범위를 선택하세요.",
            "Choose which projects were affected.",
        )
        .into(),
        "projects_missing" => tr(
            "영향받은 프로젝트의 도메인 접두어를 입력하세요.",
            "Enter the domain prefixes of the affected projects.",
        )
        .into(),
        "project_invalid" if en => format!("'{p}' is not a domain prefix."),
        "project_invalid" => format!("'{p}'은(는) 도메인 접두어 형식이 아닙니다."),
        "project_unknown" if en => format!("No project has the prefix '{p}'."),
        "project_unknown" => format!("'{p}' 접두어의 프로젝트가 없습니다."),
        "too_many_projects" => tr(
            "프로젝트는 50개까지 입력할 수 있습니다. 더 많으면 '전체 프로젝트'를 고르세요.",
            "At most 50 projects; for more, choose all projects.",
        )
        .into(),
        "start_invalid" => tr(
            "시작 시각을 YYYY-MM-DD HH:MM (KST)으로 입력하세요.",
            "Enter the start as YYYY-MM-DD HH:MM (KST).",
        )
        .into(),
        "start_in_future" => tr("시작 시각이 미래입니다.", "The start is in the future.").into(),
        "recovery_invalid" => tr(
            "복구 시각을 YYYY-MM-DD HH:MM (KST)으로 입력하세요.",
            "Enter the recovery as YYYY-MM-DD HH:MM (KST).",
        )
        .into(),
        "recovery_not_after_start" => tr(
            "복구 시각은 시작 시각보다 뒤여야 합니다.",
            "The recovery must be after the start.",
        )
        .into(),
        "recovery_in_future" => tr(
            "복구 시각이 미래입니다. 복구된 뒤에 입력하세요.",
            "The recovery is in the future; enter it once service is back.",
        )
        .into(),
        "cause_missing" => tr("원인을 입력하세요.", "Enter the cause.").into(),
        "cause_too_long" => tr(
            "원인은 500자까지 입력할 수 있습니다.",
            "The cause may be at most 500 characters.",
        )
        .into(),
        "notice_ko_missing" => tr("한국어 공지문을 입력하세요.", "Enter the Korean notice.").into(),
        "notice_en_missing" => tr("영어 공지문을 입력하세요.", "Enter the English notice.").into(),
        "notice_ko_too_long" | "notice_en_too_long" => tr(
            "공지문은 2,000자까지 입력할 수 있습니다.",
            "A notice may be at most 2,000 characters.",
        )
        .into(),
        _ => tr("입력을 확인하세요.", "Check this field.").into(),
    }
}

fn field_error(problems: &[FieldProblem], field: &str) -> Option<String> {
    let texts: Vec<String> = problems
        .iter()
        .filter(|p| p.field == field)
        .map(|p| problem_text(&p.code, p.prefix.as_deref()))
        .collect();
    (!texts.is_empty()).then(|| texts.join(" "))
}

#[component]
fn RecordForm(record: ServerAction<RecordIncident>, flash: Option<String>) -> impl IntoView {
    let result = form_result::<RecordIncident, RecordIncidentOutcome>(record, flash);
    let ok = Signal::derive(move || match result.get() {
        Some(RecordIncidentOutcome::Recorded { id, published }) => Some(format!(
            "#{id}: {}{}",
            tr("장애를 기록했습니다.", "Incident recorded."),
            if published {
                tr(" 공지가 게시되었습니다.", " Its notice is published.")
            } else {
                ""
            }
        )),
        _ => None,
    });
    let form_error = Signal::derive(move || match result.get()? {
        RecordIncidentOutcome::NotAllowed => Some(not_allowed_text().to_string()),
        RecordIncidentOutcome::Invalid { .. } => Some(
            tr(
                "아래 표시된 항목을 고쳐 주세요. 아무것도 저장하지 않았습니다.",
                "Fix the fields marked below; nothing was saved.",
            )
            .to_string(),
        ),
        RecordIncidentOutcome::Recorded { .. } => None,
    });
    let problems = move || match result.get() {
        Some(RecordIncidentOutcome::Invalid { problems, .. }) => problems,
        _ => Vec::new(),
    };
    let err = move |f: &'static str| Signal::derive(move || field_error(&problems(), f));
    // A refused form comes back filled in; after a success it starts empty.
    let kept = match result.get_untracked() {
        Some(RecordIncidentOutcome::Invalid { kept, .. }) => kept,
        _ => IncidentForm::default(),
    };
    let some_projects = kept.scope == "projects";
    view! {
        <section class="panel">
            <h2>{tr("장애 기록", "Record an incident")}</h2>
            <p class="hint">{tr("시각은 KST, 분 단위입니다. 복구 전이면 복구 시각을 비워 두고 나중에 입력하세요.", "Times are KST, to the minute. While it is not over, leave the recovery empty and add it later.")}</p>
            <div data-test="record-result">
                <FormNotice message=ok success=true />
                <FormNotice message=form_error />
            </div>
            <ActionForm action=record attr:class="form" attr:id="incident-form">
                <fieldset class="field" class:field-invalid=move || err("scope").get().is_some()>
                    <legend>{tr("영향 범위", "Affected projects")}</legend>
                    <label class="check"><input type="radio" name="scope" value="all" checked=!some_projects data-test="scope-all" />{tr("전체 프로젝트", "All projects")}</label>
                    <label class="check"><input type="radio" name="scope" value="projects" checked=some_projects data-test="scope-projects" />{tr("일부 프로젝트 (아래 도메인 접두어)", "Some projects (prefixes below)")}</label>
                    <p class="field-error" role="alert">{move || err("scope").get().unwrap_or_default()}</p>
                </fieldset>
                <Field id="incident-projects" label=Signal::derive(|| tr("프로젝트 도메인 접두어", "Project domain prefixes").to_string()) hint=tr("쉼표, 공백 또는 줄바꿈으로 구분. '전체'를 고르면 무시합니다.", "Separated by commas, spaces or new lines; ignored for all projects.").to_string() error=err("projects")>
                    <textarea id="incident-projects" name="projects" rows="2" maxlength="2000">{kept.projects.clone()}</textarea>
                </Field>
                <Field id="incident-start" label=Signal::derive(|| tr("시작 시각 (KST)", "Start (KST)").to_string()) error=err("started_at")>
                    <input id="incident-start" name="started_at" type="datetime-local" step="60" required value=kept.started_at.clone() />
                </Field>
                <Field id="incident-recovery" label=Signal::derive(|| tr("복구 시각 (KST, 복구 전이면 비움)", "Recovery (KST; empty while open)").to_string()) error=err("recovered_at")>
                    <input id="incident-recovery" name="recovered_at" type="datetime-local" step="60" value=kept.recovered_at.clone() />
                </Field>
                <Field id="incident-cause" label=Signal::derive(|| tr("원인 (직원용)", "Cause (staff only)").to_string()) error=err("cause")>
                    <textarea id="incident-cause" name="cause" rows="2" maxlength="500" required>{kept.cause.clone()}</textarea>
                </Field>
                <Field id="incident-notice-ko" label=Signal::derive(|| tr("공지문 (한국어)", "Notice (Korean)").to_string()) error=err("notice_ko")>
                    <textarea id="incident-notice-ko" name="notice_ko" rows="4" maxlength="2000" required>{kept.notice_ko.clone()}</textarea>
                </Field>
                <Field id="incident-notice-en" label=Signal::derive(|| tr("공지문 (영어)", "Notice (English)").to_string()) error=err("notice_en")>
                    <textarea id="incident-notice-en" name="notice_en" rows="4" maxlength="2000" required>{kept.notice_en.clone()}</textarea>
                </Field>
                <label class="check"><input type="checkbox" name="publish" value="on" checked=kept.publish data-test="publish-now" />{tr("지금 공지 게시 (/incidents)", "Publish the notice now (/incidents)")}</label>
                <button type="submit" class="button primary">{tr("기록", "Record")}</button>
            </ActionForm>
        </section>
    }
}

/// Paragraphs of a notice, one per line as typed.
fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| view! { <p>{l.to_string()}</p> })
        .collect_view()
}

#[component]
fn IncidentCard(
    i: AdminIncidentView,
    may_write: bool,
    recovery: ServerAction<SetIncidentRecovery>,
    publish: ServerAction<PublishIncident>,
) -> impl IntoView {
    let id = i.id;
    let scope = if i.all_projects {
        tr("전체 프로젝트", "All projects").to_string()
    } else {
        i.projects.join(", ")
    };
    let duration = format_duration(i.minutes * 60, english());
    let status = if i.open {
        view! { <span class="badge badge-overdue" data-test="status">{tr("진행 중", "Open")} " · " {duration.clone()}</span> }.into_any()
    } else {
        view! { <span class="badge badge-paid" data-test="status">{tr("복구됨", "Recovered")} " · " {duration.clone()}</span> }.into_any()
    };
    let published = i.published_at.is_some();
    let input_id = format!("recovery-{id}");
    view! {
        <li class="panel" data-test="incident" data-id=id>
            <h3>"#" {id} " · " {i.started_at.clone()} " – " {i.recovered_at.clone().unwrap_or_else(|| "…".into())}</h3>
            <p class="badges">
                {status}
                {if published {
                    view! { <span class="badge" data-test="published">{tr("공지 게시됨", "Published")} " " {i.published_at.clone().unwrap_or_default()}</span> }.into_any()
                } else {
                    view! { <span class="badge" data-test="draft">{tr("공지 미게시", "Not published")}</span> }.into_any()
                }}
            </p>
            <dl class="facts">
                <dt>{tr("영향 범위", "Affected")}</dt><dd>{scope}</dd>
                <dt>{tr("원인", "Cause")}</dt><dd>{i.cause.clone()}</dd>
                <dt>{tr("공지 (한국어)", "Notice (Korean)")}</dt><dd lang="ko">{paragraphs(&i.notice_ko)}</dd>
                <dt>{tr("공지 (영어)", "Notice (English)")}</dt><dd lang="en">{paragraphs(&i.notice_en)}</dd>
                <dt>{tr("기록한 사람", "Recorded by")}</dt><dd>{i.created_by.clone()}</dd>
            </dl>
            {may_write.then(|| view! {
                <div class="actions">
                    <ActionForm action=recovery attr:class="form inline" attr:id=format!("recovery-form-{id}") attr:data-test="recovery-form">
                        <input type="hidden" name="incident_id" value=id />
                        <label for=input_id.clone()>{if i.open { tr("복구 시각 입력 (KST)", "Recovery (KST)") } else { tr("복구 시각 수정 (KST)", "Correct the recovery (KST)") }}</label>
                        <input id=input_id.clone() name="recovered_at" type="datetime-local" step="60" required value=i.recovered_input.clone() />
                        <button type="submit" class="button small">{tr("복구 시각 저장", "Save recovery")}</button>
                    </ActionForm>
                    {(!published).then(|| view! {
                        <ActionForm action=publish attr:class="inline" attr:data-test="publish-form">
                            <input type="hidden" name="incident_id" value=id />
                            <button type="submit" class="button small primary">{tr("공지 게시", "Publish notice")}</button>
                        </ActionForm>
                    })}
                </div>
            })}
        </li>
    }
}
