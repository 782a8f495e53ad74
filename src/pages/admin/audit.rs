//! The audit log, for administrators.
use super::AdminNav;
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::projects::AuditView;
use crate::pages::auth::guard::StaffOnly;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/api", endpoint = "admin/audit")]
pub async fn audit_log(page: i64) -> Result<Vec<AuditView>, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    if !role.may_read_audit_log() {
        return Err(context::not_found());
    }
    crate::server::audit::page(&state, page)
        .await
        .map_err(context::internal)
}

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = move || super::page_param(&query.get());
    let data = Resource::new(page, audit_log);
    view! {
        <StaffOnly>
            <Title text=td_string!(i18n.get_locale_untracked(), admin.audit).to_string() />
            <section class="page">
                <h1>{t!(i18n, admin.audit)}</h1>
                <AdminNav />
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            Err(_) => view! { <NotFound /> }.into_any(),
                            Ok(rows) if rows.is_empty() => view! { <p class="empty">{t!(i18n, admin.audit_empty)}</p> }.into_any(),
                            Ok(rows) => {
                                let p = page();
                                let full = rows.len() == 50;
                                view! {
                                <div class="table-wrap">
                                <table data-test="audit">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, admin.when)}</th>
                                        <th scope="col">{t!(i18n, admin.who)}</th>
                                        <th scope="col">{t!(i18n, admin.action)}</th>
                                        <th scope="col">{t!(i18n, admin.reason)}</th>
                                        <th scope="col">{t!(i18n, admin.detail)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td>{r.at}</td>
                                                <td>{r.actor} " (" {r.role} ")"</td>
                                                <td>{r.action} " · " {r.target}</td>
                                                <td>{r.reason}</td>
                                                <td class="mono small">{r.detail}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                                <nav class="pager">
                                    {(p > 1).then(|| view! { <a href=format!("/admin/audit?page={}", p - 1)>{t!(i18n, admin.prev)}</a> })}
                                    {full.then(|| view! { <a href=format!("/admin/audit?page={}", p + 1)>{t!(i18n, admin.next)}</a> })}
                                </nav>
                            }.into_any()}
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}
