use super::labels;
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::projects::NotificationView;
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

#[component]
pub fn NotificationList() -> impl IntoView {
    let i18n = use_i18n();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let items = Resource::new(move || mark.version().get(), |_| list_notifications());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = items.await.unwrap_or_default();
                let unread = list.iter().filter(|n| n.unread).count();
                (!list.is_empty()).then(|| view! {
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
                            {list.into_iter().map(|n| {
                                let name = n.project_name.clone().unwrap_or_default();
                                let step = labels::state(i18n, n.step);
                                let text = if n.applied {
                                    t_string!(i18n, notifications.applied, project = name.clone(), step = step.clone(), at = n.step_at.clone()).to_string()
                                } else {
                                    t_string!(i18n, notifications.upcoming, project = name.clone(), step = step.clone(), at = n.step_at.clone(), days = n.days_before).to_string()
                                };
                                view! {
                                    <li class:unread=n.unread>
                                        {match n.project_id {
                                            Some(id) => view! { <a href=format!("/projects/{id}")>{text}</a> }.into_any(),
                                            None => view! { <span>{text}</span> }.into_any(),
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}
