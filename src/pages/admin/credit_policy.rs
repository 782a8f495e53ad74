//! `/admin/sla/policy`: the credit policy versions (SPEC R3.5, R3.6). Every staff member sees
//! each version and which is in force; administrators add one for a month that has not begun
//! and may withdraw a scheduled one until its month begins. Both forms work without JavaScript.
use crate::domain::sla::policy::PolicyError;
use crate::model::error::AppError;
use crate::model::sla::{
    CreditPolicyAdminPage, CreditPolicyForm, CreditPolicyOutcome, CreditPolicyVersionView,
    PolicyStatus,
};
use crate::pages::auth::guard::StaffOnly;
use crate::pages::forms::{form_flash, form_result};
use crate::pages::sla::tr;
use crate::ui::fields::FormNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::HashMap;

#[server(prefix = "/api", endpoint = "admin/sla/policy")]
pub async fn admin_credit_policy() -> Result<CreditPolicyAdminPage, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    crate::server::credit_policy::page(&state, role, chrono::Utc::now())
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

/// Rows beyond this are not read at all; the domain refuses more than `MAX_BANDS` filled ones.
#[cfg(feature = "ssr")]
const MAX_ROW_NUMBER: usize = 100;

/// The band rows of the form, `below_{n}` and `rate_{n}` from 1, in row order; a missing
/// key is an empty cell, so row numbers stay the form's.
#[cfg(feature = "ssr")]
fn band_rows(bands: &HashMap<String, String>) -> Vec<(String, String)> {
    let number = |key: &str, prefix: &str| {
        key.strip_prefix(prefix)
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| (1..=MAX_ROW_NUMBER).contains(n))
    };
    let last = bands
        .keys()
        .filter_map(|k| number(k, "below_").or_else(|| number(k, "rate_")))
        .max()
        .unwrap_or(0);
    (1..=last)
        .map(|n| {
            let cell = |prefix: &str| {
                bands
                    .get(&format!("{prefix}{n}"))
                    .cloned()
                    .unwrap_or_default()
            };
            (cell("below_"), cell("rate_"))
        })
        .collect()
}

/// `bands` maps `below_{n}` / `rate_{n}` (rows from 1, highest threshold first) to the
/// percentage as typed; empty rows are ignored.
#[server(prefix = "/api", endpoint = "admin/sla/policy/add")]
pub async fn add_credit_policy(
    effective_from: String,
    basis: String,
    #[server(default)] bands: HashMap<String, String>,
) -> Result<CreditPolicyOutcome, AppError> {
    use crate::server::context;
    let (state, actor) = actor()?;
    let form = CreditPolicyForm {
        effective_from,
        basis,
        rows: band_rows(&bands),
    };
    let out = crate::server::credit_policy::add_version(&state, actor, form, chrono::Utc::now())
        .await
        .map_err(context::internal)?;
    crate::server::flash::stash("credit_policy_add", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "admin/sla/policy/withdraw")]
pub async fn withdraw_credit_policy(version: i64) -> Result<CreditPolicyOutcome, AppError> {
    use crate::server::context;
    let (state, actor) = actor()?;
    let out = crate::server::credit_policy::withdraw(&state, actor, version, chrono::Utc::now())
        .await
        .map_err(context::internal)?;
    crate::server::flash::stash("credit_policy_withdraw", &out);
    Ok(out)
}

fn basis_label(code: &str) -> &'static str {
    if code == "trailing_3_months" {
        tr(
            "최근 3개월 평균 청구 금액",
            "Trailing 3-month average charge",
        )
    } else {
        tr(
            "해당 월 청구 금액 (부가세·크레딧 제외)",
            "That month's invoiced charge (before VAT and credits)",
        )
    }
}

/// The banner of an outcome: (success, error).
fn notices(
    out: Signal<Option<CreditPolicyOutcome>>,
) -> (Signal<Option<String>>, Signal<Option<String>>) {
    let added = tr(
        "새 버전을 추가했습니다: ",
        "New version added, in force from ",
    );
    let withdrawn = tr(
        "예정된 버전을 철회했습니다: ",
        "Scheduled version withdrawn: ",
    );
    let ok = Signal::derive(move || match out.get()? {
        CreditPolicyOutcome::Added { effective_from, .. } => {
            Some(format!("{added}{effective_from}"))
        }
        CreditPolicyOutcome::Withdrawn { effective_from, .. } => {
            Some(format!("{withdrawn}{effective_from}"))
        }
        _ => None,
    });
    let not_allowed = tr(
        "보상 정책은 관리자만 바꿀 수 있습니다.",
        "Only administrators may change the credit policy.",
    );
    let stays = tr(
        "이미 시작된 달의 버전은 철회할 수 없습니다.",
        "A version whose month has begun cannot be withdrawn.",
    );
    let check = tr(
        "입력 내용을 확인하세요. 저장하지 않았습니다.",
        "Check the fields marked below. Nothing was stored.",
    );
    let error = Signal::derive(move || match out.get()? {
        CreditPolicyOutcome::NotAllowed => Some(not_allowed.to_string()),
        CreditPolicyOutcome::NotWithdrawable => Some(stays.to_string()),
        CreditPolicyOutcome::Invalid { .. } => Some(check.to_string()),
        _ => None,
    });
    (ok, error)
}

/// The message for one field of the add form, if it has a problem.
fn field_error(out: Signal<Option<CreditPolicyOutcome>>, field: String) -> Signal<Option<String>> {
    let korean = tr("ko", "en") == "ko";
    Signal::derive(move || match out.get()? {
        CreditPolicyOutcome::Invalid { fields, .. } => {
            let messages: Vec<String> = fields
                .iter()
                .filter(|f| f.field == field)
                .map(|f| {
                    PolicyError::from_code(&f.code)
                        .map_or_else(|| f.code.clone(), |e| e.message(korean).to_string())
                })
                .collect();
            (!messages.is_empty()).then(|| messages.join(" "))
        }
        _ => None,
    })
}

#[component]
pub fn AdminCreditPolicyPage() -> impl IntoView {
    let add = ServerAction::<AddCreditPolicy>::new();
    let withdraw = ServerAction::<WithdrawCreditPolicy>::new();
    let data = Resource::new(
        move || (add.version().get(), withdraw.version().get()),
        |_| async move {
            let page = admin_credit_policy().await;
            let a = form_flash("credit_policy_add".into()).await.ok().flatten();
            let w = form_flash("credit_policy_withdraw".into())
                .await
                .ok()
                .flatten();
            (page, a, w)
        },
    );
    view! {
        <StaffOnly>
            <Title text=tr("보상 정책", "Credit policy") />
            <section class="page">
                <h1>{tr("보상 정책", "Credit policy")}</h1>
                <super::AdminNav />
                <p><a href="/admin/sla">{tr("← SLA 운영", "← SLA operations")}</a></p>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            (Err(_), ..) => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                            (Ok(p), a, w) => view! { <PolicyAdminView p add withdraw flashes=(a, w) /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

#[component]
fn PolicyAdminView(
    p: CreditPolicyAdminPage,
    add: ServerAction<AddCreditPolicy>,
    withdraw: ServerAction<WithdrawCreditPolicy>,
    flashes: (Option<String>, Option<String>),
) -> impl IntoView {
    let (af, wf) = flashes;
    let add_out = form_result::<AddCreditPolicy, CreditPolicyOutcome>(add, af);
    let withdraw_out = form_result::<WithdrawCreditPolicy, CreditPolicyOutcome>(withdraw, wf);
    let (w_ok, w_err) = notices(withdraw_out);
    let may_edit = p.may_edit;
    view! {
        {may_edit.then(|| view! { <AddVersionForm p=p.clone() add out=add_out /> })}
        <h2>{tr("버전", "Versions")}</h2>
        <p class="hint">{tr(
            "각 버전은 적용 시작 월부터 다음 버전의 월 전까지 적용됩니다 (KST). 발행된 보고서는 자기 달의 버전을 그대로 유지합니다. 예정된 버전은 그 달이 시작되기 전까지만 철회할 수 있습니다.",
            "Each version applies from its month until the next version's (KST). Issued statements keep the version of their month. A scheduled version can be withdrawn only until its month begins.",
        )}</p>
        <FormNotice message=w_ok success=true />
        <FormNotice message=w_err />
        <div class="table-wrap">
            <table data-test="policy-versions">
                <thead><tr>
                    <th scope="col">{tr("버전", "Version")}</th>
                    <th scope="col">{tr("적용 시작", "Effective from")}</th>
                    <th scope="col">{tr("상태", "Status")}</th>
                    <th scope="col">{tr("보상 기준 금액", "Fee basis")}</th>
                    <th scope="col">{tr("구간 (가용성 % → 보상 비율)", "Bands (availability % → rate)")}</th>
                    <th scope="col">{tr("등록", "Added")}</th>
                    {may_edit.then(|| view! { <th scope="col"><span class="sr-only">{tr("철회", "Withdraw")}</span></th> })}
                </tr></thead>
                <tbody>
                    {p.versions.into_iter().map(|v| view! { <VersionRow v may_edit withdraw /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn VersionRow(
    v: CreditPolicyVersionView,
    may_edit: bool,
    withdraw: ServerAction<WithdrawCreditPolicy>,
) -> impl IntoView {
    let (status, badge, code) = match v.status {
        PolicyStatus::InForce => (tr("적용 중", "In force"), "badge badge-paid", "in_force"),
        PolicyStatus::Scheduled => (
            tr("예정", "Scheduled"),
            "badge badge-partly_paid",
            "scheduled",
        ),
        PolicyStatus::Past => (tr("지난 버전", "Past"), "badge", "past"),
    };
    let scheduled = v.status == PolicyStatus::Scheduled;
    let version = v.version.to_string();
    let row_version = version.clone();
    view! {
        <tr data-status=code data-version=row_version>
            <td>{v.version}</td>
            <td>{v.effective_from}</td>
            <td><span class=badge>{status}</span></td>
            <td>{basis_label(&v.basis)}</td>
            <td><ul class="plain">
                {v.tiers.into_iter().map(|(band, rate)| view! { <li>{band} " → " {rate} " %"</li> }).collect_view()}
            </ul></td>
            <td>{v.created_by.unwrap_or_else(|| tr("설치 시 기본값", "installed default").to_string())} " · " {v.created_at}</td>
            {may_edit.then(|| view! {
                <td>{scheduled.then(|| view! {
                    <ActionForm action=withdraw attr:class="inline">
                        <input type="hidden" name="version" value=version.clone() />
                        <button type="submit" class="button small" data-test="withdraw">{tr("철회", "Withdraw")}</button>
                    </ActionForm>
                })}</td>
            })}
        </tr>
    }
}

#[component]
fn AddVersionForm(
    p: CreditPolicyAdminPage,
    add: ServerAction<AddCreditPolicy>,
    out: Signal<Option<CreditPolicyOutcome>>,
) -> impl IntoView {
    let (ok, error) = notices(out);
    // After a refusal the form shows what was typed; otherwise it starts from the latest
    // version, so the admin changes only what changes.
    let kept = match out.get_untracked() {
        Some(CreditPolicyOutcome::Invalid { form, .. }) => Some(form),
        _ => None,
    };
    let start = kept.unwrap_or_else(|| {
        let latest = p.versions.first();
        CreditPolicyForm {
            effective_from: String::new(),
            basis: latest.map(|v| v.basis.clone()).unwrap_or_default(),
            rows: latest
                .map(|v| {
                    v.tiers
                        .iter()
                        .map(|(band, rate)| (upper_of(band), rate.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    });
    let month_error = field_error(out, "effective_from".into());
    let basis_error = field_error(out, "basis".into());
    let bands_error = field_error(out, "bands".into());
    let rows = (1..=p.max_bands.max(start.rows.len()))
        .map(|n| {
            let (below, rate) = start.rows.get(n - 1).cloned().unwrap_or_default();
            view! { <BandRow n below rate out /> }
        })
        .collect_view();
    let basis = start.basis.clone();
    view! {
        <section class="panel" data-test="policy-form">
            <h2>{tr("새 버전 추가", "Add a version")}</h2>
            <p class="hint">{tr(
                "아직 시작되지 않은 달(KST)부터 적용할 수 있습니다. 구간은 가용성 기준이 높은 것부터 입력하고, 기준은 아래로 갈수록 낮아지고 보상 비율은 작아지지 않아야 합니다. 빈 줄은 무시됩니다.",
                "A version can take effect from a month that has not begun (KST). Enter bands highest threshold first; thresholds fall row by row and rates never fall. Empty rows are ignored.",
            )}</p>
            <FormNotice message=ok success=true />
            <FormNotice message=error />
            <ActionForm action=add attr:class="form" attr:id="policy-form">
                <div class="field" class:field-invalid=move || month_error.get().is_some()>
                    <label for="policy-month">{tr("적용 시작 월 (YYYY-MM)", "Effective-from month (YYYY-MM)")}</label>
                    <input id="policy-month" name="effective_from" value=start.effective_from.clone() placeholder=p.first_open_month.clone()
                        pattern="[0-9]{4}-[0-9]{2}" required aria-describedby="policy-month-error" />
                    <p class="field-error" id="policy-month-error" role="alert">{move || month_error.get()}</p>
                </div>
                <div class="field" class:field-invalid=move || basis_error.get().is_some()>
                    <label for="policy-basis">{tr("보상 기준 금액", "Fee basis")}</label>
                    <select id="policy-basis" name="basis" required aria-describedby="policy-basis-error">
                        {["this_month", "trailing_3_months"].into_iter().map(|code| view! {
                            <option value=code selected={basis == code}>{basis_label(code)}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="policy-basis-error" role="alert">{move || basis_error.get()}</p>
                </div>
                <fieldset aria-describedby="policy-bands-error">
                    <legend>{tr("구간", "Bands")}</legend>
                    <p class="field-error" id="policy-bands-error" role="alert">{move || bands_error.get()}</p>
                    <div class="table-wrap">
                        <table data-test="band-rows">
                            <thead><tr>
                                <th scope="col">"#"</th>
                                <th scope="col">{tr("가용성이 이 값 미만 (%)", "Availability below (%)")}</th>
                                <th scope="col">{tr("보상 비율 (%)", "Credit rate (%)")}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                </fieldset>
                <button type="submit" class="button primary">{tr("버전 추가", "Add version")}</button>
            </ActionForm>
        </section>
    }
}

/// "99.9" from "[99.5, 99.9)": the band's threshold, to start the form from a version.
fn upper_of(band: &str) -> String {
    band.trim_end_matches(')')
        .rsplit(", ")
        .next()
        .unwrap_or_default()
        .to_string()
}

#[component]
fn BandRow(
    n: usize,
    below: String,
    rate: String,
    out: Signal<Option<CreditPolicyOutcome>>,
) -> impl IntoView {
    let below_error = field_error(out, format!("below_{n}"));
    let rate_error = field_error(out, format!("rate_{n}"));
    let below_id = format!("policy-below-{n}");
    let rate_id = format!("policy-rate-{n}");
    view! {
        <tr>
            <th scope="row">{n}</th>
            <td class:field-invalid=move || below_error.get().is_some()>
                <input id=below_id.clone() name=format!("bands[below_{n}]") value=below inputmode="decimal"
                    aria-label=format!("{} {n}", tr("가용성 기준", "Threshold")) aria-describedby=format!("{below_id}-error") />
                <p class="field-error" id=format!("{below_id}-error") role="alert">{move || below_error.get()}</p>
            </td>
            <td class:field-invalid=move || rate_error.get().is_some()>
                <input id=rate_id.clone() name=format!("bands[rate_{n}]") value=rate inputmode="decimal"
                    aria-label=format!("{} {n}", tr("보상 비율", "Rate")) aria-describedby=format!("{rate_id}-error") />
                <p class="field-error" id=format!("{rate_id}-error") role="alert">{move || rate_error.get()}</p>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::upper_of;

    #[test]
    fn a_band_label_gives_its_threshold() {
        assert_eq!(upper_of("[99.5, 99.9)"), "99.9");
        assert_eq!(upper_of("[0, 95)"), "95");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn band_rows_keep_the_form_numbering() {
        use std::collections::HashMap;
        let m: HashMap<String, String> = [
            ("below_1", "99.9"),
            ("rate_1", "5"),
            ("rate_3", "10"),
            ("below_101", "1"),
            ("other", "x"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            super::band_rows(&m),
            vec![
                ("99.9".to_string(), "5".to_string()),
                (String::new(), String::new()),
                (String::new(), "10".to_string()),
            ]
        );
    }
}
