//! Names of plans, states, target kinds and rule problems in the visitor's language.
use crate::domain::lifecycle::LifecycleState;
use crate::domain::plan::{Capacity, CapacityError, Plan, TargetError, TargetKind};
use crate::domain::prefix::PrefixError;
use crate::domain::project::ProjectNameError;
use crate::i18n::*;
use crate::model::projects::{PrefixProblem, TargetOutcome};
use leptos_i18n::I18nContext;

type I18n = I18nContext<Locale>;

pub fn plan(i18n: I18n, p: Plan) -> String {
    match p {
        Plan::Free => t_string!(i18n, plan.free),
        Plan::Paid => t_string!(i18n, plan.paid),
    }
    .to_string()
}

pub fn state(i18n: I18n, s: LifecycleState) -> String {
    match s {
        LifecycleState::Active => t_string!(i18n, lifecycle.active),
        LifecycleState::AccessStopped => t_string!(i18n, lifecycle.access_stopped),
        LifecycleState::CollectionStopped => t_string!(i18n, lifecycle.collection_stopped),
        LifecycleState::Deleted => t_string!(i18n, lifecycle.deleted),
    }
    .to_string()
}

pub fn kind(i18n: I18n, k: TargetKind) -> String {
    match k {
        TargetKind::Was => t_string!(i18n, target_kind.was),
        TargetKind::WebServer => t_string!(i18n, target_kind.web_server),
        TargetKind::System => t_string!(i18n, target_kind.system),
        TargetKind::Url => t_string!(i18n, target_kind.url),
        TargetKind::Kubernetes => t_string!(i18n, target_kind.kubernetes),
    }
    .to_string()
}

/// Which hint a kind's detail takes: kinds with the same hint share a group, which
/// style/main.css shows when one of them is chosen.
pub fn hint_group(k: TargetKind) -> &'static str {
    match k {
        TargetKind::Was | TargetKind::WebServer | TargetKind::System => "host",
        TargetKind::Url => "url",
        TargetKind::Kubernetes => "cluster",
    }
}

pub fn detail_hint(i18n: I18n, k: TargetKind) -> String {
    match k {
        TargetKind::Was | TargetKind::WebServer | TargetKind::System => {
            t_string!(i18n, target_kind.host_hint)
        }
        TargetKind::Url => t_string!(i18n, target_kind.url_hint),
        TargetKind::Kubernetes => t_string!(i18n, target_kind.cluster_hint),
    }
    .to_string()
}

pub fn project_name(i18n: I18n, e: ProjectNameError) -> String {
    match e {
        ProjectNameError::Empty => t_string!(i18n, errors.required),
        ProjectNameError::TooLong => t_string!(i18n, errors.too_long),
        ProjectNameError::Invalid => t_string!(i18n, errors.invalid),
    }
    .to_string()
}

pub fn prefix(i18n: I18n, p: PrefixProblem) -> String {
    match p {
        PrefixProblem::Taken => t_string!(i18n, prefix.taken),
        PrefixProblem::Invalid(e) => match e {
            PrefixError::Empty => t_string!(i18n, errors.required),
            PrefixError::TooShort | PrefixError::TooLong => t_string!(i18n, prefix.length),
            PrefixError::InvalidCharacter => t_string!(i18n, prefix.chars),
            PrefixError::MustStartWithLetter => t_string!(i18n, prefix.start),
            PrefixError::EndsWithHyphen => t_string!(i18n, prefix.end_hyphen),
            PrefixError::DoubleHyphen => t_string!(i18n, prefix.double_hyphen),
            PrefixError::Reserved => t_string!(i18n, prefix.reserved),
        },
    }
    .to_string()
}

pub fn target_error(i18n: I18n, e: TargetError) -> String {
    match e {
        TargetError::NameEmpty | TargetError::DetailEmpty => {
            t_string!(i18n, errors.required).to_string()
        }
        TargetError::NameTooLong | TargetError::DetailTooLong => {
            t_string!(i18n, errors.too_long).to_string()
        }
        TargetError::KindUnknown => t_string!(i18n, targets.kind_unknown).to_string(),
        TargetError::DetailInvalid { kind } => format!(
            "{} {}",
            t_string!(i18n, errors.invalid),
            detail_hint(i18n, kind)
        ),
    }
}

pub fn capacity_error(i18n: I18n, e: CapacityError) -> String {
    match e {
        CapacityError::IngestOutOfRange { min, max } => {
            t_string!(i18n, capacity.ingest_range, min = min, max = max).to_string()
        }
        CapacityError::StorageOutOfRange { min, max } => {
            t_string!(i18n, capacity.storage_range, min = min, max = max).to_string()
        }
        CapacityError::NotPaid => t_string!(i18n, capacity.not_paid).to_string(),
        CapacityError::NoChange => t_string!(i18n, capacity.no_change).to_string(),
        CapacityError::ProjectInactive => t_string!(i18n, projects.blocked_title).to_string(),
    }
}

/// What a capacity change changed, one line per setting that moved.
pub fn capacity_change(i18n: I18n, from: &Capacity, to: &Capacity) -> Vec<String> {
    let switch = |on: bool| {
        if on {
            t_string!(i18n, capacity.on).to_string()
        } else {
            t_string!(i18n, capacity.off).to_string()
        }
    };
    let sizes = [
        (
            t_string!(i18n, capacity.ingest).to_string(),
            from.ingest_gb_per_day,
            to.ingest_gb_per_day,
        ),
        (
            t_string!(i18n, capacity.storage).to_string(),
            from.storage_gb,
            to.storage_gb,
        ),
    ];
    let options = [
        (
            t_string!(i18n, capacity.extended_retention).to_string(),
            from.extended_retention,
            to.extended_retention,
        ),
        (
            t_string!(i18n, capacity.remote_support).to_string(),
            from.remote_support,
            to.remote_support,
        ),
    ];
    let sizes = sizes
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("{name} {a} → {b} GB"));
    let options = options
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, _, b)| format!("{name}: {}", switch(b)));
    sizes.chain(options).collect()
}

/// The message for a target change that was not done (`None` when it was).
pub fn target_outcome(i18n: I18n, o: &TargetOutcome) -> Option<String> {
    match o {
        TargetOutcome::Done => None,
        TargetOutcome::Invalid { errors } => errors.first().map(|e| target_error(i18n, *e)),
        TargetOutcome::LimitReached { limit } => {
            Some(t_string!(i18n, targets.limit_reached, limit = *limit).to_string())
        }
        TargetOutcome::ProjectInactive => Some(t_string!(i18n, projects.blocked_title).to_string()),
        TargetOutcome::TargetMissing => Some(t_string!(i18n, targets.missing).to_string()),
    }
}
