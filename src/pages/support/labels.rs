//! Words for the support codes, in the visitor's language.
use super::tr;
use crate::domain::support::clocks::ClockKind;
use crate::domain::support::ticket::{
    MessagePurpose, ResolutionCategory, ResolutionCause, Severity, TicketKind, TicketStatus,
};
use crate::model::support::ClockView;

pub fn kind(k: TicketKind) -> &'static str {
    match k {
        TicketKind::Inquiry => tr("문의", "Inquiry"),
        TicketKind::Incident => tr("장애 신고", "Incident report"),
        TicketKind::Complaint => tr("불만 접수", "Complaint"),
        TicketKind::RemoteSupport => tr("원격 지원 요청", "Remote support request"),
        TicketKind::OnsiteTraining => tr("방문 교육 요청", "On-site training request"),
        TicketKind::SecurityReport => tr("보안 취약점 보고서 요청", "Security report request"),
    }
}

pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => tr("긴급 (서비스 중단)", "Critical (service down)"),
        Severity::Major => tr("높음 (주요 기능 장애)", "Major (key feature broken)"),
        Severity::Minor => tr("낮음 (일부 불편)", "Minor (inconvenience)"),
    }
}

pub fn status(s: TicketStatus) -> &'static str {
    match s {
        TicketStatus::New => tr("접수", "New"),
        TicketStatus::InProgress => tr("처리 중", "In progress"),
        TicketStatus::WaitingForCustomer => tr("고객 답변 대기", "Waiting for you"),
        TicketStatus::Resolved => tr("해결됨", "Resolved"),
        TicketStatus::Closed => tr("종료", "Closed"),
    }
}

pub fn clock(k: ClockKind) -> &'static str {
    match k {
        ClockKind::StartOfWork => tr("작업 착수 (4 업무시간)", "Start of work (4 business hours)"),
        ClockKind::FirstProgress => tr(
            "진행 보고 (6 업무시간)",
            "Progress report (6 business hours)",
        ),
        ClockKind::Resolution => tr("해결 (24 업무시간)", "Resolution (24 business hours)"),
        ClockKind::WrittenReport => tr(
            "결과 보고서 (48 업무시간)",
            "Written report (48 business hours)",
        ),
    }
}

pub fn clock_state(v: &ClockView) -> String {
    match v {
        ClockView::Running { due } => format!("{} {due}", tr("약속 시각", "Due by")),
        ClockView::Paused { remaining_minutes } => format!(
            "{} ({} {})",
            tr("고객 답변 대기로 일시 정지", "Paused while waiting for you"),
            remaining_minutes / 60,
            tr("업무시간 남음", "business hours left")
        ),
        ClockView::Breached { due } => {
            format!("{} {due}", tr("기한 초과 — 약속 시각", "Overdue — was due"))
        }
        ClockView::Met { at } => format!("{} {at}", tr("완료", "Done")),
        ClockView::MetLate { at } => format!("{} {at}", tr("지연 완료", "Done late")),
        ClockView::NoBusinessDays => tr(
            "계산 불가 (휴일 달력 확인 필요)",
            "Cannot compute (check the holiday calendar)",
        )
        .to_string(),
    }
}

pub fn purpose(p: MessagePurpose) -> &'static str {
    match p {
        MessagePurpose::Reply => tr("답변", "Reply"),
        MessagePurpose::Progress => tr("진행 보고", "Progress report"),
        MessagePurpose::Report => tr("결과 보고서", "Written report"),
        MessagePurpose::InternalNote => tr("내부 메모", "Internal note"),
    }
}

pub fn category(c: ResolutionCategory) -> &'static str {
    match c {
        ResolutionCategory::UsageQuestion => tr("사용 문의", "Usage question"),
        ResolutionCategory::Configuration => tr("설정", "Configuration"),
        ResolutionCategory::ProductDefect => tr("제품 결함", "Product defect"),
        ResolutionCategory::ServiceOutage => tr("서비스 장애", "Service outage"),
        ResolutionCategory::Performance => tr("성능", "Performance"),
        ResolutionCategory::Billing => tr("요금", "Billing"),
        ResolutionCategory::FeatureRequest => tr("기능 요청", "Feature request"),
        ResolutionCategory::ServiceQuality => tr("서비스 품질", "Service quality"),
        ResolutionCategory::Other => tr("기타", "Other"),
    }
}

pub fn cause(c: ResolutionCause) -> &'static str {
    match c {
        ResolutionCause::CustomerEnvironment => tr("고객 환경", "Customer environment"),
        ResolutionCause::OurSoftware => tr("당사 소프트웨어", "Our software"),
        ResolutionCause::OurOperations => tr("당사 운영", "Our operations"),
        ResolutionCause::ThirdParty => tr("외부 서비스", "Third party"),
        ResolutionCause::NotAFault => tr("결함 아님", "Not a fault"),
        ResolutionCause::Unknown => tr("원인 불명", "Unknown"),
    }
}

/// Field problems of the ticket and reply forms.
pub fn problem(code: &str) -> &'static str {
    match code {
        "required" => tr("입력해 주세요.", "Please fill this in."),
        "too_long" => tr("너무 깁니다.", "This is too long."),
        "unknown_project" => tr(
            "내 프로젝트 중에서 고르세요.",
            "Choose one of your projects.",
        ),
        "attachment_empty" => tr(
            "빈 파일은 첨부할 수 없습니다.",
            "Empty files cannot be attached.",
        ),
        "attachment_too_large" => tr(
            "파일이 너무 큽니다 (파일당 5MB, 최대 3개).",
            "A file is too large (5 MB each, 3 at most).",
        ),
        "attachment_type_not_allowed" => tr(
            "허용되지 않는 파일 형식입니다.",
            "This file type is not allowed.",
        ),
        "attachment_content_mismatch" => tr(
            "파일 내용이 확장자와 맞지 않습니다.",
            "The file's content does not match its extension.",
        ),
        "too_many_attachments" => tr(
            "파일은 3개까지 첨부할 수 있습니다.",
            "At most 3 files can be attached.",
        ),
        _ => tr("확인해 주세요.", "Please check this."),
    }
}
