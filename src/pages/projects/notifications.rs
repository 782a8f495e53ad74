//! The dashboard's notifications: lifecycle notices and alerts, newest first, and marking
//! them read.
use super::labels;
use crate::i18n::*;
use crate::model::alerts::CustomerAlert;
use crate::model::error::AppError;
use crate::model::projects::{Notice, NotificationView};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "notifications/list")]
pub async fn list_notifications() -> Result<Vec<NotificationView>, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    crate::server::notifications::recent(&state, auth.user.id())
        .await
        .map_err(context::internal)
}

#[server(prefix = "/api", endpoint = "notifications/read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    crate::server::notifications::mark_all_read(&state, auth.user.id(), chrono::Utc::now())
        .await
        .map_err(context::internal)?;
    if crate::server::flash::is_plain_form_post() {
        leptos_axum::redirect("/dashboard");
    }
    Ok(())
}

/// The dashboard's notifications, newest first, and the form that marks them read; nothing
/// when there are none.
#[component]
pub fn NotificationList(
    items: Vec<NotificationView>,
    mark: ServerAction<MarkNotificationsRead>,
) -> impl IntoView {
    let i18n = use_i18n();
    let unread = items.iter().filter(|n| n.unread).count();
    (!items.is_empty()).then(|| view! {
        <section class="notifications" aria-labelledby="notif-title">
            <div class="section-head">
                <h2 id="notif-title">{t!(i18n, notifications.title)} {(unread > 0).then(|| view! { <span class="badge">{unread}</span> })}</h2>
                {(unread > 0).then(|| view! {
                    <ActionForm action=mark attr:class="inline">
                        <button type="submit" class="link-button">{t!(i18n, notifications.mark_read)}</button>
                    </ActionForm>
                })}
            </div>
            <ul class="plain" data-test="notifications">
                {items.into_iter().map(|n| {
                    let (text, href) = notice_text(i18n, &n.notice);
                    view! {
                        <li class:unread=n.unread>
                            {match href {
                                Some(href) => view! { <a href=href>{text}</a> }.into_any(),
                                None => view! { <span>{text}</span> }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
}

/// One notification's sentence in the page's language, and the page it is about.
fn notice_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    notice: &Notice,
) -> (String, Option<String>) {
    let en = i18n.get_locale_untracked() == Locale::en;
    match notice {
        Notice::Lifecycle {
            project_id,
            project_name,
            step,
            step_at,
            days_before,
            applied,
        } => {
            let name = project_name.clone().unwrap_or_default();
            let step = labels::state(i18n, *step);
            let text = if *applied {
                t_string!(
                    i18n,
                    notifications.applied,
                    project = name.clone(),
                    step = step.clone(),
                    at = step_at.clone()
                )
                .to_string()
            } else {
                t_string!(
                    i18n,
                    notifications.upcoming,
                    project = name.clone(),
                    step = step.clone(),
                    at = step_at.clone(),
                    days = *days_before
                )
                .to_string()
            };
            (text, project_id.map(|id| format!("/projects/{id}")))
        }
        Notice::Alert(alert) => {
            let text = match alert {
                CustomerAlert::UsageThreshold(u) => {
                    let (metric, unit) = if en {
                        (u.metric_en.clone(), u.unit_en.clone())
                    } else {
                        (u.metric_ko.clone(), u.unit_ko.clone())
                    };
                    t_string!(
                        i18n,
                        usage_alerts.notice_threshold,
                        project = u.project_name.clone(),
                        month = u.month.clone(),
                        metric = metric.clone(),
                        total = u.total.clone(),
                        unit = unit.clone(),
                        threshold = u.threshold.clone()
                    )
                    .to_string()
                }
                CustomerAlert::InvoiceDueSoon(i) => t_string!(
                    i18n,
                    usage_alerts.notice_due_soon,
                    project = i.project_name.clone(),
                    number = i.number.clone(),
                    amount = crate::pages::billing::invoices::krw(i.balance),
                    due = i.due_date.clone()
                )
                .to_string(),
                CustomerAlert::InvoiceOverdue(i) => t_string!(
                    i18n,
                    usage_alerts.notice_overdue,
                    project = i.project_name.clone(),
                    number = i.number.clone(),
                    amount = crate::pages::billing::invoices::krw(i.balance),
                    due = i.due_date.clone()
                )
                .to_string(),
            };
            (text, Some(alert.link()))
        }
    }
}
