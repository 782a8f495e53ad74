//! `/admin/support/holidays`: the holiday calendar of the business-hours clocks. Everyone on
//! staff reads it; admins add, rename and remove days (audited).
use crate::model::error::AppError;
use crate::model::support::HolidayView;
use crate::pages::auth::guard::StaffOnly;
use crate::pages::support::tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "admin/support/holidays")]
pub async fn support_holidays() -> Result<(Vec<HolidayView>, bool), AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    let list = crate::server::support::calendar::list(&state.db)
        .await
        .map_err(context::internal)?;
    Ok((list, crate::server::support::edits_calendar(role)))
}

#[component]
pub fn AdminHolidaysPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| support_holidays());
    view! {
        <StaffOnly>
            <Title text=tr("휴일 달력", "Holiday calendar") />
            <section class="page">
                <h1>{tr("휴일 달력", "Holiday calendar")}</h1>
                <super::AdminNav />
                <p class="lead">{tr("업무시간: 평일 09:00-18:00 (KST), 아래 휴일 제외.", "Business hours: weekdays 09:00-18:00 KST, except the days below.")}</p>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok((days, may_edit)) => view! {
                                {may_edit.then(|| view! {
                                    <form method="post" action="/admin/support-holidays" class="form" data-test="holiday-form">
                                        <label for="day">{tr("날짜", "Date")}</label>
                                        <input id="day" name="day" type="date" required />
                                        <label for="name_ko">{tr("이름 (한국어)", "Name (Korean)")}</label>
                                        <input id="name_ko" name="name_ko" maxlength="60" required />
                                        <label for="name_en">{tr("이름 (영어)", "Name (English)")}</label>
                                        <input id="name_en" name="name_en" maxlength="60" />
                                        <button type="submit" class="button primary">{tr("저장", "Save")}</button>
                                    </form>
                                })}
                                <div class="table-wrap">
                                <table class="table" data-test="holidays">
                                    <tbody>
                                        {days.into_iter().map(|h| {
                                            let day = h.day.clone();
                                            view! {
                                                <tr>
                                                    <td>{h.day.clone()}</td>
                                                    <td>{h.name_ko.clone()}</td>
                                                    <td>{h.name_en.clone()}</td>
                                                    <td>{may_edit.then(|| view! {
                                                        <form method="post" action="/admin/support-holidays">
                                                            <input type="hidden" name="action" value="remove" />
                                                            <input type="hidden" name="day" value=day.clone() />
                                                            <button type="submit" class="button small">{tr("삭제", "Remove")}</button>
                                                        </form>
                                                    })}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                            }.into_any(),
                            Err(_) => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}
