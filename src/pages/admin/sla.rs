//! `/admin/sla`: operations staff publish maintenance windows, record exclusions and revise
//! issued statements; everyone on staff sees the recent ones and the months with probe
//! results that came after their statement. Each form works without JavaScript.
use crate::domain::sla::input::Problem;
use crate::model::error::AppError;
use crate::model::sla::{SlaAdminPage, SlaChangeOutcome};
use crate::pages::auth::guard::StaffOnly;
use crate::pages::forms::{form_flash, form_result};
use crate::pages::sla::tr;
use crate::ui::fields::FormNotice;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "admin/sla")]
pub async fn admin_sla() -> Result<SlaAdminPage, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    let english = context::page_language() == crate::domain::language::Language::En;
    crate::server::sla_staff::admin_page(
        &state.db,
        role,
        state.settings.maintenance_lead_hours,
        english,
    )
    .await
    .map_err(context::internal)
}

#[cfg(feature = "ssr")]
fn actor() -> Result<
    (
        crate::server::startup::AppState,
        crate::server::sla_staff::Actor,
    ),
    AppError,
> {
    let (state, auth, role) = crate::server::context::require_staff()?;
    Ok((
        state,
        crate::server::sla_staff::Actor {
            user_id: auth.user.id(),
            role,
        },
    ))
}

/// `scope` is `all` or `projects`; `projects` holds domain prefixes separated by commas or spaces.
#[server(prefix = "/api", endpoint = "admin/sla/window")]
pub async fn publish_window(
    scope: String,
    #[server(default)] projects: String,
    start: String,
    end: String,
    notice: String,
) -> Result<SlaChangeOutcome, AppError> {
    use crate::server::context;
    let (state, actor) = actor()?;
    let list: Vec<String> = projects
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    let chosen = (scope != "all").then_some(list);
    let out = crate::server::sla_staff::publish_window(
        &state,
        actor,
        chosen.as_deref(),
        &start,
        &end,
        &notice,
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    crate::server::flash::stash("sla_window", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "admin/sla/exclusion")]
pub async fn record_exclusion(
    project: String,
    start: String,
    end: String,
    category: String,
    reason: String,
) -> Result<SlaChangeOutcome, AppError> {
    use crate::server::context;
    let (state, actor) = actor()?;
    let out = crate::server::sla_staff::record_exclusion(
        &state,
        actor,
        &project,
        &start,
        &end,
        &category,
        &reason,
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    crate::server::flash::stash("sla_exclusion", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "admin/sla/revise")]
pub async fn revise_statement(
    project: String,
    month: String,
    reason: String,
) -> Result<SlaChangeOutcome, AppError> {
    use crate::server::context;
    let (state, actor) = actor()?;
    let out = crate::server::sla_staff::revise(
        &state,
        actor,
        &project,
        &month,
        &reason,
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    crate::server::flash::stash("sla_revise", &out);
    Ok(out)
}

/// The message for one field of an outcome, if it has a problem.
fn field_error(
    out: Signal<Option<SlaChangeOutcome>>,
    field: &'static str,
) -> Signal<Option<String>> {
    let korean = tr("ko", "en") == "ko";
    Signal::derive(move || match out.get()? {
        SlaChangeOutcome::Invalid { fields } => fields.iter().find(|f| f.field == field).map(|f| {
            Problem::from_code(&f.code)
                .map_or_else(|| f.code.clone(), |p| p.message(korean).to_string())
        }),
        _ => None,
    })
}

fn notices(
    out: Signal<Option<SlaChangeOutcome>>,
    done: &'static str,
) -> (Signal<Option<String>>, Signal<Option<String>>) {
    let ok = Signal::derive(move || {
        matches!(out.get(), Some(SlaChangeOutcome::Done { .. })).then(|| done.to_string())
    });
    let not_allowed = tr(
        "운영 담당자와 관리자만 할 수 있습니다.",
        "Only operations staff and administrators may do this.",
    );
    let no_statement = tr(
        "그 달의 보고서가 없습니다.",
        "There is no statement for that month.",
    );
    let check = tr("입력 내용을 확인하세요.", "Check the fields marked below.");
    let error = Signal::derive(move || match out.get()? {
        SlaChangeOutcome::Done { .. } => None,
        SlaChangeOutcome::NotAllowed => Some(not_allowed.to_string()),
        SlaChangeOutcome::NoStatement => Some(no_statement.to_string()),
        SlaChangeOutcome::Invalid { .. } => Some(check.to_string()),
    });
    (ok, error)
}

#[component]
fn FieldError(message: Signal<Option<String>>, id: &'static str) -> impl IntoView {
    view! { <p class="field-error" id=id role="alert">{move || message.get()}</p> }
}

#[component]
pub fn AdminSlaPage() -> impl IntoView {
    let window = ServerAction::<PublishWindow>::new();
    let exclusion = ServerAction::<RecordExclusion>::new();
    let revise = ServerAction::<ReviseStatement>::new();
    let data = Resource::new(
        move || {
            (
                window.version().get(),
                exclusion.version().get(),
                revise.version().get(),
            )
        },
        |_| async move {
            let page = admin_sla().await;
            let w = form_flash("sla_window".into()).await.ok().flatten();
            let e = form_flash("sla_exclusion".into()).await.ok().flatten();
            let r = form_flash("sla_revise".into()).await.ok().flatten();
            (page, w, e, r)
        },
    );
    view! {
        <StaffOnly>
            <Title text=tr("SLA 운영", "SLA operations") />
            <section class="page">
                <h1>{tr("SLA 운영", "SLA operations")}</h1>
                <super::AdminNav />
                <p><a href="/admin/sla/policy" data-test="credit-policy-link">{tr("보상 정책: 버전과 변경", "Credit policy: versions and changes")}</a></p>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            (Err(_), ..) => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                            (Ok(p), w, e, r) => view! { <SlaAdminView p window exclusion revise flashes=(w, e, r) /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

#[component]
fn SlaAdminView(
    p: SlaAdminPage,
    window: ServerAction<PublishWindow>,
    exclusion: ServerAction<RecordExclusion>,
    revise: ServerAction<ReviseStatement>,
    flashes: (Option<String>, Option<String>, Option<String>),
) -> impl IntoView {
    let (wf, ef, rf) = flashes;
    let w_out = form_result::<PublishWindow, SlaChangeOutcome>(window, wf);
    let e_out = form_result::<RecordExclusion, SlaChangeOutcome>(exclusion, ef);
    let r_out = form_result::<ReviseStatement, SlaChangeOutcome>(revise, rf);
    let (w_ok, w_err) = notices(
        w_out,
        tr("점검 일정을 공지했습니다.", "Maintenance window published."),
    );
    let (e_ok, e_err) = notices(
        e_out,
        tr("제외 기간을 기록했습니다.", "Exclusion recorded."),
    );
    let (r_ok, r_err) = notices(
        r_out,
        tr("개정 보고서를 발행했습니다.", "Revised statement issued."),
    );
    let categories = p.categories.clone();
    let lead = p.lead_hours;
    view! {
        {p.may_change.then(|| view! {
            <section class="panel" data-test="window-form">
                <h2>{tr("정기 점검 공지", "Publish a maintenance window")}</h2>
                <p class="hint">{format!("{} {lead}{}", tr("시작", "A window counts as announced only when published at least"), tr("시간 전까지 공지된 점검만 장애 시간에서 제외됩니다. 시각은 KST입니다.", " hours before it starts. Times are KST."))}</p>
                <FormNotice message=w_ok success=true />
                <FormNotice message=w_err />
                <ActionForm action=window attr:class="form" attr:id="maintenance-window-form">
                    <fieldset class="field">
                        <legend>{tr("대상", "Projects")}</legend>
                        <label><input type="radio" name="scope" value="all" checked /> {tr("모든 프로젝트", "All projects")}</label>
                        <label><input type="radio" name="scope" value="projects" /> {tr("아래 프로젝트만", "Only these")}</label>
                        <input name="projects" id="w-projects" placeholder="shop, api-prod" aria-describedby="w-projects-error" />
                        <FieldError message=field_error(w_out, "projects") id="w-projects-error" />
                    </fieldset>
                    <div class="field"><label for="w-start">{tr("시작 (KST)", "Start (KST)")}</label>
                        <input id="w-start" name="start" type="datetime-local" required aria-describedby="w-start-error" />
                        <FieldError message=field_error(w_out, "start") id="w-start-error" /></div>
                    <div class="field"><label for="w-end">{tr("종료 (KST)", "End (KST)")}</label>
                        <input id="w-end" name="end" type="datetime-local" required aria-describedby="w-end-error" />
                        <FieldError message=field_error(w_out, "end") id="w-end-error" /></div>
                    <div class="field"><label for="w-notice">{tr("공지 내용", "Notice")}</label>
                        <textarea id="w-notice" name="notice" maxlength="2000" required aria-describedby="w-notice-error"></textarea>
                        <FieldError message=field_error(w_out, "notice") id="w-notice-error" /></div>
                    <button type="submit" class="button primary">{tr("공지", "Publish")}</button>
                </ActionForm>
            </section>
            <section class="panel" data-test="exclusion-form">
                <h2>{tr("제외 기간 기록", "Record an exclusion")}</h2>
                <p class="hint">{tr("SLA 제외 사유(R3.8)에 해당하는 기간을 사후에 기록합니다. 사유는 고객 보고서에 표시됩니다.", "Record after the fact a period that falls under an R3.8 exclusion. The reason is shown on the customer's statement.")}</p>
                <FormNotice message=e_ok success=true />
                <FormNotice message=e_err />
                <ActionForm action=exclusion attr:class="form" attr:id="exclusion-form">
                    <div class="field"><label for="e-project">{tr("프로젝트 (도메인 접두어)", "Project (domain prefix)")}</label>
                        <input id="e-project" name="project" required aria-describedby="e-project-error" />
                        <FieldError message=field_error(e_out, "project") id="e-project-error" /></div>
                    <div class="field"><label for="e-start">{tr("시작 (KST)", "Start (KST)")}</label>
                        <input id="e-start" name="start" type="datetime-local" required />
                        <FieldError message=field_error(e_out, "start") id="e-start-error" /></div>
                    <div class="field"><label for="e-end">{tr("종료 (KST)", "End (KST)")}</label>
                        <input id="e-end" name="end" type="datetime-local" required />
                        <FieldError message=field_error(e_out, "end") id="e-end-error" /></div>
                    <div class="field"><label for="e-category">{tr("분류", "Category")}</label>
                        <select id="e-category" name="category" required>
                            <option value="">{tr("선택", "Choose")}</option>
                            {categories.clone().into_iter().map(|(code, label)| view! { <option value=code>{label}</option> }).collect_view()}
                        </select>
                        <FieldError message=field_error(e_out, "category") id="e-category-error" /></div>
                    <div class="field"><label for="e-reason">{tr("사유", "Reason")}</label>
                        <textarea id="e-reason" name="reason" maxlength="2000" required></textarea>
                        <FieldError message=field_error(e_out, "reason") id="e-reason-error" /></div>
                    <button type="submit" class="button primary">{tr("기록", "Record")}</button>
                </ActionForm>
            </section>
            <section class="panel" data-test="revise-form">
                <h2>{tr("보고서 개정", "Revise a statement")}</h2>
                <p class="hint">{tr("저장된 측정 결과, 점검, 제외 기간으로 다시 계산해 새 개정판을 발행합니다. 이전 판은 그대로 남고, 늘어난 보상액은 그 달 청구서의 대변표로 처리됩니다.", "Recomputes from what is stored now and issues a new revision. Earlier revisions stay as issued; a larger credit is granted as a credit note on that month's invoice.")}</p>
                <FormNotice message=r_ok success=true />
                <FormNotice message=r_err />
                <ActionForm action=revise attr:class="form" attr:id="revision-form">
                    <div class="field"><label for="r-project">{tr("프로젝트 (도메인 접두어)", "Project (domain prefix)")}</label>
                        <input id="r-project" name="project" required />
                        <FieldError message=field_error(r_out, "project") id="r-project-error" /></div>
                    <div class="field"><label for="r-month">{tr("월", "Month")}</label>
                        <input id="r-month" name="month" placeholder="YYYY-MM" pattern="[0-9]{4}-[0-9]{2}" required /></div>
                    <div class="field"><label for="r-reason">{tr("개정 사유 (고객에게 표시)", "Why (shown to the customer)")}</label>
                        <textarea id="r-reason" name="reason" maxlength="2000" required></textarea>
                        <FieldError message=field_error(r_out, "reason") id="r-reason-error" /></div>
                    <button type="submit" class="button primary">{tr("개정판 발행", "Issue revision")}</button>
                </ActionForm>
            </section>
        })}
        <h2>{tr("늦게 도착한 측정 결과", "Probe results that came late")}</h2>
        {if p.late.is_empty() {
            view! { <p class="empty">{tr("검토할 항목이 없습니다.", "Nothing to review.")}</p> }.into_any()
        } else {
            view! { <div class="table-wrap"><table data-test="late-results"><thead><tr>
                <th scope="col">{tr("프로젝트", "Project")}</th><th scope="col">{tr("월", "Month")}</th>
                <th scope="col" class="num">{tr("결과 수", "Results")}</th><th scope="col">{tr("마지막 수신", "Last received")}</th>
            </tr></thead><tbody>
                {p.late.into_iter().map(|l| view! { <tr><td>{l.project}</td><td>{l.month}</td><td class="num">{l.results}</td><td>{l.last_received_at}</td></tr> }).collect_view()}
            </tbody></table></div> }.into_any()
        }}
        <h2>{tr("정기 점검", "Maintenance windows")}</h2>
        {if p.windows.is_empty() {
            view! { <p class="empty">{tr("공지된 점검이 없습니다.", "No maintenance window yet.")}</p> }.into_any()
        } else {
            view! { <div class="table-wrap"><table data-test="windows"><thead><tr>
                <th scope="col">{tr("시작", "Start")}</th><th scope="col">{tr("종료", "End")}</th>
                <th scope="col">{tr("대상", "Projects")}</th><th scope="col">{tr("공지", "Notice")}</th>
                <th scope="col">{tr("공지 시각", "Published")}</th>
            </tr></thead><tbody>
                {p.windows.into_iter().map(|w| view! { <tr>
                    <td>{w.start}</td><td>{w.end}</td>
                    <td>{if w.projects.is_empty() { tr("모든 프로젝트", "All projects").to_string() } else { w.projects.join(", ") }}</td>
                    <td>{w.notice}</td>
                    <td>{w.published_at} " · " {w.published_by} {(!w.announced_in_time).then(|| view! { " " <span class="badge badge-overdue">{tr("공지 기한 미달", "announced late")}</span> })}</td>
                </tr> }).collect_view()}
            </tbody></table></div> }.into_any()
        }}
        <h2>{tr("제외 기간", "Exclusions")}</h2>
        {if p.exclusions.is_empty() {
            view! { <p class="empty">{tr("기록된 제외 기간이 없습니다.", "No exclusion recorded.")}</p> }.into_any()
        } else {
            view! { <div class="table-wrap"><table data-test="exclusions"><thead><tr>
                <th scope="col">{tr("프로젝트", "Project")}</th><th scope="col">{tr("시작", "Start")}</th><th scope="col">{tr("종료", "End")}</th>
                <th scope="col">{tr("분류", "Category")}</th><th scope="col">{tr("사유", "Reason")}</th><th scope="col">{tr("기록자", "By")}</th>
            </tr></thead><tbody>
                {p.exclusions.into_iter().map(|e| view! { <tr>
                    <td>{e.project}</td><td>{e.start}</td><td>{e.end}</td><td>{e.category_label}</td><td>{e.reason}</td><td>{e.recorded_by}</td>
                </tr> }).collect_view()}
            </tbody></table></div> }.into_any()
        }}
    }
}
