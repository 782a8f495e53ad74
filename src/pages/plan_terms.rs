//! The free plan's terms as this portal is configured, for every page that states them: the
//! target limit is a setting (`APM_FREE_TARGET_LIMIT`), so no text may hard-code it.
use crate::i18n::*;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreePlan {
    pub trial_days: i64,
    pub target_limit: u32,
}

#[server(prefix = "/api", endpoint = "plans/free")]
pub async fn free_plan_terms() -> Result<FreePlan, crate::model::error::AppError> {
    let state = crate::server::context::state()?;
    Ok(FreePlan {
        trial_days: crate::domain::plan::FREE_TRIAL_DAYS,
        target_limit: state.settings.free_target_limit,
    })
}

/// Where the terms are stated: the home page's plan card or the plan choice on a new project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreePlanWording {
    HomeCard,
    PlanChoice,
}

/// The sentence stating the free plan's trial and target limit in the visitor's language.
#[component]
pub fn FreePlanText(terms: FreePlan, wording: FreePlanWording) -> impl IntoView {
    let i18n = use_i18n();
    let FreePlan {
        trial_days: days,
        target_limit: limit,
    } = terms;
    move || match wording {
        FreePlanWording::HomeCard => {
            t_string!(i18n, home.free_body, days = days, limit = limit).to_string()
        }
        FreePlanWording::PlanChoice => {
            t_string!(i18n, plan.free_desc, days = days, limit = limit).to_string()
        }
    }
}
