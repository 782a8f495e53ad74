//! The one error of every server function and the one JSON error body of the whole HTTP
//! surface (API, server functions, fallbacks, panics), so that pages match on variants
//! instead of parsing message strings.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// One refused field: which one and a stable code (the same codes as the domain errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
        }
    }
}

/// Every JSON error answer: a stable `code` for programs, a `message` for people, per-field
/// problems for `validation_failed`, and the request id of a server-side failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable, machine-readable: `not_found`, `not_allowed`, `unauthenticated`,
    /// `validation_failed`, `prefix_taken`, `target_limit_reached`, `project_inactive`,
    /// `conflict`, `bad_request`, `method_not_allowed`, `payload_too_large`,
    /// `unsupported_media_type`, `rate_limited`, `cross_origin_refused`, `internal_error`.
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// Quote it to support: it finds the log lines of the failed request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// With `rate_limited`: seconds to wait (also in the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
            request_id: None,
            retry_after: None,
        }
    }
}

/// Why a server function failed. Business outcomes (a refused form, a limit) are not errors:
/// they are the `Ok` enums in `model`; these are the answers a page cannot act on itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(into = "ErrorBody", from = "ErrorBody")]
pub enum AppError {
    /// Missing, not the caller's, or not signed in: customers cannot tell these apart.
    #[error("not found")]
    NotFound,
    /// Signed in, but this role may not do that.
    #[error("not allowed")]
    NotAllowed,
    /// The request itself was refused (the form's own outcome carries ordinary field errors).
    #[error("invalid request")]
    Invalid(Vec<FieldError>),
    #[error("too many requests; retry in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    /// Our fault; the details are in the log under this request id.
    /// Too many password checks already waiting (503): retry shortly.
    #[error("busy; retry in {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    #[error("internal error (request {request_id})")]
    Internal { request_id: String },
    /// The call did not reach the server or its answer did not arrive whole.
    #[error("could not reach the portal: {0}")]
    Unreachable(String),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::NotAllowed => "not_allowed",
            Self::Invalid(_) => "validation_failed",
            Self::TooManyRequests { .. } => "rate_limited",
            Self::Busy { .. } => crate::model::accounts::SERVER_BUSY_CODE,
            Self::Internal { .. } => "internal_error",
            Self::Unreachable(_) => "unreachable",
        }
    }

    /// The id to quote to support, for a failure on our side.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Internal { request_id } if !request_id.is_empty() => Some(request_id),
            _ => None,
        }
    }
}

impl From<AppError> for ErrorBody {
    fn from(e: AppError) -> Self {
        let message = match &e {
            AppError::NotFound => "No such resource.".to_string(),
            AppError::NotAllowed => "Your role may not do that.".to_string(),
            AppError::Invalid(_) => "Some fields are not valid.".to_string(),
            AppError::TooManyRequests { .. } => {
                "Too many requests. Please wait and try again.".to_string()
            }
            AppError::Busy { .. } => "The portal is busy. Please try again shortly.".to_string(),
            AppError::Internal { .. } => "Something went wrong on our side. Please try again; if it keeps happening, quote the request id to support.".to_string(),
            AppError::Unreachable(m) => m.clone(),
        };
        let mut body = ErrorBody::new(e.code(), message);
        match e {
            AppError::Invalid(fields) => body.fields = fields,
            AppError::TooManyRequests { retry_after_secs }
            | AppError::Busy { retry_after_secs } => body.retry_after = Some(retry_after_secs),
            AppError::Internal { request_id } => body.request_id = Some(request_id),
            _ => {}
        }
        body
    }
}

impl From<ErrorBody> for AppError {
    fn from(b: ErrorBody) -> Self {
        match b.code.as_str() {
            "not_found" | "unauthenticated" => Self::NotFound,
            "not_allowed" | "cross_origin_refused" => Self::NotAllowed,
            "rate_limited" => Self::TooManyRequests {
                retry_after_secs: b.retry_after.unwrap_or(1),
            },
            crate::model::accounts::SERVER_BUSY_CODE => Self::Busy {
                retry_after_secs: b.retry_after.unwrap_or(1),
            },
            "internal_error" => Self::Internal {
                request_id: b.request_id.unwrap_or_default(),
            },
            "unreachable" => Self::Unreachable(b.message),
            // Every other refusal of the request (validation, bad arguments, payload size).
            _ => Self::Invalid(b.fields),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The arguments did not decode: a request no page of ours sends.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                Self::Invalid(Vec::new())
            }
            ServerFnErrorErr::Request(m) | ServerFnErrorErr::Deserialization(m) => {
                Self::Unreachable(m)
            }
            // Registration, serialisation, middleware and response failures are ours.
            _ => Self::Internal {
                request_id: String::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_survives_the_json_body() {
        for e in [
            AppError::NotFound,
            AppError::NotAllowed,
            AppError::Invalid(vec![FieldError::new("name", "too_long")]),
            AppError::TooManyRequests {
                retry_after_secs: 7,
            },
            AppError::Busy {
                retry_after_secs: 2,
            },
            AppError::Internal {
                request_id: "abc123".into(),
            },
            AppError::Unreachable("offline".into()),
        ] {
            let json = serde_json::to_string(&e).unwrap_or_default();
            let back: AppError = serde_json::from_str(&json).unwrap_or(AppError::NotAllowed);
            assert_eq!(back, e, "{json}");
        }
    }

    #[test]
    fn the_body_has_the_documented_shape() {
        let e = AppError::Internal {
            request_id: "r1".into(),
        };
        let v = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(v["code"], "internal_error");
        assert_eq!(v["request_id"], "r1");
        assert!(v["message"].is_string());
        assert!(v.get("fields").is_none());
    }
}
